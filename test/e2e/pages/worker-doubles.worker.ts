// The production pipeline with the scripted test doubles in place of web-llm and transformers.js:
// real comlink, Web Locks, IndexedDB and BroadcastChannel, no model download.
import { CrescentError } from '../../../src/lib/crescent/errors';
import { runCrescent } from '../../../src/lib/crescent/run';
import { HashingEmbedder } from '../../../src/lib/engines/doubles/hashingEmbedder';
import { ScriptedChatEngine } from '../../../src/lib/engines/doubles/scriptedEngine';
import { preflight } from '../../../src/lib/engines/preflight';
import { exposePipeline } from '../../../src/lib/worker/exposePipeline';
import { Pipeline } from '../../../src/lib/worker/pipeline';
import { configForRun } from '../../../src/lib/worker/runConfig';
import { defaultRunLock } from '../../../src/lib/worker/runLock';
import { openRunRecords } from '../../../src/lib/worker/runRecords';

/** The recipe's model name picks the double's pace: 'scripted-slow' gives another tab time to look. */
function latencyOf(model: string): number {
  return model === 'scripted-slow' ? 150 : 1;
}

exposePipeline(
  new Pipeline({
    loadEngine: async (spec, { onProgress }) => {
      onProgress({ phase: 'loading', fraction: 1, text: `Loaded ${spec.model}` });
      return {
        engine: new ScriptedChatEngine({ seed: 5, latencyMs: latencyOf(spec.model) }),
        unload: async () => {},
      };
    },
    loadEmbedder: async (_spec, { onProgress }) => {
      onProgress({ phase: 'embedder', fraction: 1, text: 'Loaded the hashing embedder' });
      return new HashingEmbedder();
    },
    preflight: () => preflight(),
    modelCache: {
      isCached: async () => false,
      deleteCached: async (model) => {
        if (model === 'stray-rejection') {
          // A failure no caller awaits: the worker must still report it.
          void Promise.reject(new RangeError('A stray failure nobody awaited'));
          return;
        }
        if (model === 'crescent-error') {
          throw new CrescentError({
            code: 'quota-exceeded',
            message: 'The browser storage for this site is full.',
            action: 'Free some space, then resume the run.',
          });
        }
        throw new TypeError(`Cannot delete ${model}`);
      },
    },
    openRecords: openRunRecords,
    lock: defaultRunLock(),
    toConfig: configForRun,
    runCrescent,
  }),
);
