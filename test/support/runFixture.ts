// Shared set-up for run tests: a config, the doubles, and a way to compare datasets.
import { makeConfig, type RunConfig } from '../../src/lib/crescent/config';
import { MemoryRunStore } from '../../src/lib/crescent/memoryStore';
import type { RunSnapshot } from '../../src/lib/crescent/types';
import { HashingEmbedder } from '../../src/lib/engines/doubles/hashingEmbedder';
import {
  ScriptedChatEngine,
  type ScriptedEngineOptions,
} from '../../src/lib/engines/doubles/scriptedEngine';

export function testConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  return makeConfig('run-1', {
    targetQuestions: 8,
    votes: 3,
    seed: 11,
    saturationWindow: 30,
    ...overrides,
  });
}

export function doubles(engine: ScriptedEngineOptions = {}) {
  let tick = 0;
  return {
    engine: new ScriptedChatEngine({ seed: 5, ...engine }),
    embedder: new HashingEmbedder(64),
    store: new MemoryRunStore(),
    clock: { now: () => 1_000 * ++tick },
  };
}

/** A dataset without wall-clock fields, for comparing two runs. */
export function dataset(snapshot: RunSnapshot) {
  const strip = <T extends { createdAt: number }>({ createdAt: _, ...rest }: T) => rest;
  return {
    questions: snapshot.questions.map((q) => {
      const { embedding, ...rest } = strip(q);
      return { ...rest, embedding: embedding ? Array.from(embedding) : undefined };
    }),
    samples: snapshot.samples.map(strip),
    pairs: snapshot.pairs.map(strip),
  };
}
