// API keys live only in memory and where the user keeps them: never in a stored run, and never
// in an error message, even when a server echoes the request back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { runCrescent } from '../src/lib/crescent/run';
import { newRunRow } from '../src/lib/db/runs';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import { ScriptedChatEngine } from '../src/lib/engines/doubles/scriptedEngine';
import { callEndpoint, withoutKey } from '../src/lib/engines/openaiHttp';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { keyedParts, missingKeys, withKeys } from '../src/lib/recipe/secrets';
import type { EngineSpec, Recipe } from '../src/lib/recipe/types';
import { keyScopeOf, loadApiKey, saveApiKey } from '../src/lib/state/apiKeyStore';
import { endpointUrls, keptKeys, keysFromEntries } from '../src/lib/state/resumeKeys';
import { Pipeline } from '../src/lib/worker/pipeline';
import type { PipelineEvent } from '../src/lib/worker/protocol';
import { configForRun } from '../src/lib/worker/runConfig';
import { MemoryRunLock } from '../src/lib/worker/runLock';
import { MemoryRunRecords } from '../src/lib/worker/runRecords';

const KEY = 'sk-test-7f3a9c';

function keyedRecipe(embedderKey: string | null = KEY): Recipe {
  return {
    ...defaultRecipe(),
    targetQuestions: 3,
    votes: 3,
    seed: 5,
    engine: { kind: 'openai', baseUrl: 'https://llm.example/v1', model: 'm', apiKey: KEY },
    embedder: {
      kind: 'openai',
      baseUrl: 'https://llm.example/v1',
      model: 'e',
      ...(embedderKey ? { apiKey: embedderKey } : {}),
    },
  };
}

describe('keys and recipes', () => {
  it('knows which parts had a key, puts keys back and names the missing ones', () => {
    const recipe = keyedRecipe(null);
    expect(keyedParts(recipe)).toEqual({ engine: true, embedder: false });
    expect(keyedParts(defaultRecipe())).toEqual({ engine: false, embedder: false });
    const bare = { ...recipe, engine: { ...recipe.engine, apiKey: undefined } as EngineSpec };
    expect(withKeys(bare, { engine: 'k1', embedder: 'k2' }).engine).toMatchObject({ apiKey: 'k1' });
    expect(withKeys(bare, { engine: 'k1', embedder: 'k2' }).embedder).toMatchObject({
      apiKey: 'k2',
    });
    // A part that is not an endpoint takes no key.
    expect(withKeys(defaultRecipe(), { engine: 'k1' }).engine).not.toHaveProperty('apiKey');
    expect(missingKeys({ engine: true, embedder: true }, { engine: 'x' })).toEqual(['embedder']);
    expect(missingKeys({ engine: true, embedder: false }, {})).toEqual(['engine']);
    expect(missingKeys(undefined, {})).toEqual([]);
  });

  it('stores a run without its keys, noting which parts had one', () => {
    const row = newRunRow(keyedRecipe(), 1000);
    expect(JSON.stringify(row)).not.toContain(KEY);
    expect(row.keyed).toEqual({ engine: true, embedder: true });
    expect(row.recipe?.engine).toMatchObject({ kind: 'openai', baseUrl: 'https://llm.example/v1' });
    expect(newRunRow(defaultRecipe(), 1000)).not.toHaveProperty('keyed');
    expect(newRunRow(null, 1000).recipe).toBeNull();
  });
});

describe('resuming a run that had a key', () => {
  function pipelineWith(records: MemoryRunRecords, specs: EngineSpec[]) {
    const events: PipelineEvent[] = [];
    const pipeline = new Pipeline({
      loadEngine: async (spec) => {
        specs.push(spec);
        return { engine: new ScriptedChatEngine({ seed: 3 }), unload: async () => undefined };
      },
      loadEmbedder: async () => new HashingEmbedder(),
      preflight: async () => {
        throw new Error('not used');
      },
      modelCache: { isCached: async () => false, deleteCached: async () => undefined },
      openRecords: async () => records,
      lock: new MemoryRunLock(),
      toConfig: configForRun,
      runCrescent,
      progressIntervalMs: 0,
      sleep: () => Promise.resolve(),
    });
    void pipeline.subscribe((e) => events.push(e));
    return { pipeline, events };
  }

  const done = (events: PipelineEvent[]) =>
    new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (events.some((e) => e.type === 'status' && e.status === 'done')) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });

  it('starts with the key in memory, and a resume needs the key again', async () => {
    const records = new MemoryRunRecords();
    const specs: EngineSpec[] = [];
    const { pipeline, events } = pipelineWith(records, specs);
    const runId = await pipeline.start(keyedRecipe());
    await done(events);
    expect(specs[0]).toMatchObject({ apiKey: KEY });
    const row = await records.get(runId);
    expect(JSON.stringify(row)).not.toContain(KEY);
    await records.update(runId, { status: 'paused' }, 2000);

    const refused = await pipeline.resume(runId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CrescentError);
    expect((refused as CrescentError).code).toBe('invalid-recipe');
    expect((refused as CrescentError).message).toMatch(/engine and embedder endpoint/);
    expect((refused as CrescentError).action).toBe('Enter the key to resume the run.');
    await expect(pipeline.resume(runId, { engine: KEY })).rejects.toThrow(/embedder endpoint/);
  });

  it('resumes with the keys given, which reach the engine and not the store', async () => {
    const records = new MemoryRunRecords();
    const runId = await records.create(keyedRecipe(null), 1000);
    await records.update(runId, { status: 'paused' }, 1000);
    const specs: EngineSpec[] = [];
    const { pipeline, events } = pipelineWith(records, specs);
    await pipeline.resume(runId, { engine: 'sk-later' });
    await done(events);
    expect(specs.at(-1)).toMatchObject({ apiKey: 'sk-later' });
    expect(JSON.stringify(await records.get(runId))).not.toContain('sk-later');
  });
});

describe('error messages', () => {
  it('leave out the key even when the server echoes it', async () => {
    const echo = async (_url: string, init?: RequestInit) =>
      new Response(
        JSON.stringify({
          error: { message: `bad key ${(init?.headers as Record<string, string>).Authorization}` },
        }),
        { status: 401 },
      );
    const failure = await callEndpoint(
      { baseUrl: 'https://llm.example/v1', apiKey: KEY, fetch: echo, maxRetries: 0 },
      { path: '/models', method: 'GET' },
      async () => null,
    ).catch((e: unknown) => e as CrescentError);
    expect(failure).toBeInstanceOf(CrescentError);
    expect(failure!.message).toContain('bad key Bearer [API key]');
    expect(JSON.stringify(failure)).not.toContain(KEY);
    expect(String((failure as CrescentError).cause)).not.toContain(KEY);
  });

  it('replaces every occurrence and leaves text alone without a key', () => {
    expect(withoutKey(`a ${KEY} b ${KEY}`, KEY)).toBe('a [API key] b [API key]');
    expect(withoutKey('plain', undefined)).toBe('plain');
    expect(withoutKey('plain', '')).toBe('plain');
  });
});

class MemoryStorage {
  #items = new Map<string, string>();
  getItem(k: string) {
    return this.#items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.#items.set(k, v);
  }
  removeItem(k: string) {
    this.#items.delete(k);
  }
  get size() {
    return this.#items.size;
  }
}

describe('where keys are kept', () => {
  let tab: MemoryStorage;
  let browser: MemoryStorage;
  beforeEach(() => {
    tab = new MemoryStorage();
    browser = new MemoryStorage();
    Object.assign(globalThis, { sessionStorage: tab, localStorage: browser });
  });
  afterEach(() => {
    Reflect.deleteProperty(globalThis, 'sessionStorage');
    Reflect.deleteProperty(globalThis, 'localStorage');
  });

  it('keeps a key for the tab or the browser, never both, and finds it either way', () => {
    saveApiKey('https://llm.example/v1 ', 'k-tab');
    expect(tab.size).toBe(1);
    expect(browser.size).toBe(0);
    expect(loadApiKey('https://llm.example/v1')).toBe('k-tab');
    expect(keyScopeOf('https://llm.example/v1')).toBe('tab');
    saveApiKey('https://llm.example/v1', 'k-browser', 'browser');
    expect(tab.size).toBe(0);
    expect(loadApiKey('https://llm.example/v1')).toBe('k-browser');
    expect(keyScopeOf('https://llm.example/v1')).toBe('browser');
    saveApiKey('https://llm.example/v1', '', 'browser');
    expect(browser.size + tab.size).toBe(0);
    expect(keyScopeOf('https://llm.example/v1')).toBeNull();
    expect(loadApiKey('https://llm.example/v1')).toBe('');
  });

  it('reads the kept keys for a stored run and asks once per address for the rest', () => {
    saveApiKey('https://llm.example/v1', 'kept');
    const recipe = keyedRecipe();
    expect(keptKeys(recipe)).toEqual({ engine: 'kept', embedder: 'kept' });
    expect(keptKeys(defaultRecipe())).toEqual({});
    const other: Recipe = {
      ...recipe,
      embedder: { kind: 'openai', baseUrl: 'https://embed.example/v1', model: 'e' },
    };
    expect(endpointUrls(recipe, ['engine', 'embedder'])).toEqual([
      { url: 'https://llm.example/v1', parts: ['engine', 'embedder'] },
    ]);
    const urls = endpointUrls(other, ['engine', 'embedder']);
    expect(urls.map((u) => u.url)).toEqual(['https://llm.example/v1', 'https://embed.example/v1']);
    const request = { runId: 'r', runName: 'n', urls, keys: {} };
    expect(keysFromEntries(request, [' a ', 'b'])).toEqual({ engine: 'a', embedder: 'b' });
    expect(keysFromEntries(request, ['a', ''])).toEqual({ engine: 'a' });
  });
});
