import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/lib/crescent/config';
import { MATH_LLAMA2, MATH_LLAMA3 } from '../src/lib/crescent/prompts';
import { recipeToConfig } from '../src/lib/recipe/config';
import { defaultRecipe, DEFAULT_RECIPE } from '../src/lib/recipe/defaults';
import {
  canonicalJson,
  fnv1a64,
  recipeFromHash,
  recipeId,
  recipeLink,
  withoutSecrets,
} from '../src/lib/recipe/link';
import { parseRecipe } from '../src/lib/recipe/parse';
import { RecipeSchema } from '../src/lib/recipe/schema';
import type { Recipe } from '../src/lib/recipe/types';

const openaiRecipe = (): Recipe => ({
  ...defaultRecipe(),
  engine: {
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:11434/v1',
    model: 'qwen2.5:7b',
    apiKey: 'sk-secret-1',
    concurrency: 4,
  },
  embedder: {
    kind: 'openai',
    baseUrl: 'https://api.example.com/v1',
    model: 'emb',
    apiKey: 'sk-secret-2',
  },
});

describe('parseRecipe', () => {
  it('fills an empty object with the paper defaults on a small web-llm model', () => {
    const { recipe, issues } = parseRecipe({});
    expect(issues).toEqual([]);
    expect(recipe).toEqual(DEFAULT_RECIPE);
    expect(recipe.engine).toEqual({ kind: 'webllm', model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC' });
    expect(recipe.embedder).toEqual({ kind: 'transformers', model: 'Xenova/all-MiniLM-L6-v2' });
    expect(recipe).toMatchObject({
      version: 1,
      votes: 3,
      similarityThreshold: 0.875,
      temperature: 1,
      topP: 1,
    });
    expect(recipe.baitPrompt).toBe(MATH_LLAMA3.baitPrompt);
    expect(v.safeParse(RecipeSchema, recipe).success).toBe(true);
  });

  it("takes the default prompts from the recipe's domain", () => {
    const { recipe } = parseRecipe({ domain: 'math-llama2' });
    expect(recipe.baitPrompt).toBe(MATH_LLAMA2.baitPrompt);
  });

  it('keeps every valid field as given', () => {
    const given = openaiRecipe();
    given.votes = 7;
    given.baitPrompt = 'Write one chemistry question.';
    given.domain = 'custom';
    expect(parseRecipe(JSON.parse(JSON.stringify(given)))).toEqual({ recipe: given, issues: [] });
  });

  it('reports every invalid field by path and falls back to its default', () => {
    const { recipe, issues } = parseRecipe({
      version: 2,
      votes: 65,
      similarityThreshold: 1.5,
      temperature: -1,
      targetQuestions: 2.5,
      topP: 0,
      seed: '7',
      faithful: 'yes',
      rewritePrompt: 'Make it different.',
      bait: 'typo',
      engine: { kind: 'openai', baseUrl: 'ftp://x', model: 'm', concurrency: 0 },
      embedder: { kind: 'transformers', model: '', device: 'cuda' },
    });
    const paths = issues.map((i) => i.path);
    for (const path of [
      'version',
      'votes',
      'similarityThreshold',
      'temperature',
      'targetQuestions',
      'topP',
      'seed',
      'faithful',
      'rewritePrompt',
      'bait',
      'engine.baseUrl',
      'engine.concurrency',
      'embedder.model',
      'embedder.device',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(issues.find((i) => i.path === 'votes')?.message).toBe('Must be at most 64.');
    expect(issues.find((i) => i.path === 'bait')?.message).toBe('Unknown field; ignored.');
    const {
      version,
      votes,
      similarityThreshold,
      temperature,
      targetQuestions,
      topP,
      seed,
      faithful,
    } = recipe;
    expect({
      version,
      votes,
      similarityThreshold,
      temperature,
      targetQuestions,
      topP,
      seed,
      faithful,
    }).toEqual({
      version: 1,
      votes: 3,
      similarityThreshold: 0.875,
      temperature: 1,
      targetQuestions: 100,
      topP: 1,
      seed: 1,
      faithful: false,
    });
    expect(recipe.rewritePrompt).toBe(MATH_LLAMA3.rewriteTemplate);
    // A required engine field that cannot be repaired falls back to the whole default engine.
    expect(recipe.engine).toEqual(DEFAULT_RECIPE.engine);
    // A bad embedder model of the default kind takes the default model; a bad optional is dropped.
    expect(recipe.embedder).toEqual({ kind: 'transformers', model: 'Xenova/all-MiniLM-L6-v2' });
  });

  it('reports an unknown engine kind and a recipe that is no object', () => {
    expect(parseRecipe({ engine: { kind: 'cuda' } }).issues).toEqual([
      { path: 'engine.kind', message: 'Must be one of: webllm, wllama, openai.' },
    ]);
    const notObject = parseRecipe([1, 2]);
    expect(notObject.issues).toEqual([{ path: '', message: 'A recipe must be a JSON object.' }]);
    expect(notObject.recipe).toEqual(DEFAULT_RECIPE);
  });

  it('reports a null domain and a field named like an Object method', () => {
    const { recipe, issues } = parseRecipe({ domain: null, toString: 'x' });
    expect(issues.map((i) => i.path).sort()).toEqual(['domain', 'toString']);
    expect(recipe.domain).toBe('math-llama3');
  });

  it('drops only an invalid optional engine field and keeps the rest', () => {
    const { recipe, issues } = parseRecipe({
      engine: { kind: 'openai', baseUrl: 'http://localhost:8080/v1', model: 'm', concurrency: 100 },
    });
    expect(recipe.engine).toEqual({
      kind: 'openai',
      baseUrl: 'http://localhost:8080/v1',
      model: 'm',
    });
    expect(issues).toEqual([{ path: 'engine.concurrency', message: 'Must be at most 64.' }]);
  });

  it('keeps a chosen thinking switch, and drops an unknown one with a note that names the choices', () => {
    const endpoint = { kind: 'openai', baseUrl: 'http://localhost:8080/v1', model: 'm' };
    const kept = parseRecipe({ engine: { ...endpoint, thinkingSwitch: 'off' } });
    expect(kept.issues).toEqual([]);
    expect(kept.recipe.engine).toEqual({ ...endpoint, thinkingSwitch: 'off' });

    const dropped = parseRecipe({ engine: { ...endpoint, thinkingSwitch: 'none' } });
    expect(dropped.recipe.engine).toEqual(endpoint);
    expect(dropped.issues).toEqual([
      {
        path: 'engine.thinkingSwitch',
        message: 'Must be one of: auto, chat-template-kwargs, reasoning-effort, off.',
      },
    ]);
  });
});

describe('recipeToConfig', () => {
  it("gives the core the paper's defaults and the preset domain for an untouched recipe", () => {
    expect(recipeToConfig(defaultRecipe(), 'run-1')).toEqual({ ...DEFAULT_CONFIG, runId: 'run-1' });
  });

  it('names a custom domain when a prompt differs from its preset', () => {
    const recipe = { ...defaultRecipe('math-llama2'), answerSuffix: ' Answer:' };
    const config = recipeToConfig({ ...recipe, votes: 5 }, 'r');
    expect(config.domain).toMatchObject({
      id: 'custom',
      baitPrompt: MATH_LLAMA2.baitPrompt,
      answerSuffix: ' Answer:',
    });
    expect(config.votes).toBe(5);
    expect(recipeToConfig(defaultRecipe('math-llama2'), 'r').domain).toBe(MATH_LLAMA2);
  });
});

describe('links and ids', () => {
  it('never puts an API key into a link', () => {
    const link = recipeLink(openaiRecipe(), 'https://example.org/app/#old');
    expect(link.startsWith('https://example.org/app/#recipe=')).toBe(true);
    expect(link).not.toContain('sk-secret');
    expect(decodeURIComponent(link)).not.toContain('apiKey');
  });

  it('removes a user name and password from server URLs and leaves other URLs alone', () => {
    const recipe = openaiRecipe();
    recipe.engine = {
      kind: 'openai',
      baseUrl: 'https://me:hunter2@llm.example.com/v1',
      model: 'm',
    };
    const clean = withoutSecrets(recipe);
    expect(clean.engine).toEqual({
      kind: 'openai',
      baseUrl: 'https://llm.example.com/v1',
      model: 'm',
    });
    expect(clean.embedder).toEqual({
      kind: 'openai',
      baseUrl: 'https://api.example.com/v1',
      model: 'emb',
    });
    expect(recipeLink(recipe, 'https://x.org/')).not.toContain('hunter2');
  });

  it('reads back from the link the recipe it was made from, minus the keys', () => {
    const recipe = openaiRecipe();
    recipe.baitPrompt = 'Ünïcode & symbols: 50% of $x + y = #1?';
    const hash = new URL(recipeLink(recipe, 'http://127.0.0.1:5173/')).hash;
    expect(recipeFromHash(hash)).toEqual({ recipe: withoutSecrets(recipe), issues: [] });
    expect(recipeFromHash(`#tab=runs&${hash.slice(1)}`)?.recipe).toEqual(withoutSecrets(recipe));
  });

  it('reads no recipe from a hash without one, and reports an unreadable one', () => {
    expect(recipeFromHash('#tab=runs')).toBeNull();
    expect(recipeFromHash('')).toBeNull();
    const broken = recipeFromHash('#recipe=%7Bnot-json');
    expect(broken?.recipe).toEqual(DEFAULT_RECIPE);
    expect(broken?.issues).toEqual([{ path: '', message: 'The link holds no readable recipe.' }]);
  });

  it('gives a recipe a stable 12-hex id that ignores key order and API keys', () => {
    const recipe = openaiRecipe();
    const id = recipeId(recipe);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    const reversed = <T extends object>(o: T): T =>
      Object.fromEntries(Object.entries(o).reverse()) as T;
    const reordered = { ...reversed(recipe), engine: reversed(recipe.engine) };
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(recipe));
    expect(recipeId(reordered)).toBe(id);
    expect(recipeId({ ...recipe, engine: { ...recipe.engine, apiKey: 'other' } } as Recipe)).toBe(
      id,
    );
    expect(recipeId({ ...recipe, votes: 4 })).not.toBe(id);
    expect(recipeId(defaultRecipe())).toBe(recipeId(parseRecipe({}).recipe));
  });

  it('hashes canonical JSON with 64-bit FNV-1a, so ids in old exports stay valid', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] }, u: undefined })).toBe(
      '{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}',
    );
    // Published FNV-1a 64 test vectors.
    expect(fnv1a64('').toString(16)).toBe('cbf29ce484222325');
    expect(fnv1a64('a').toString(16)).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar').toString(16)).toBe('85944171f73967e8');
  });
});
