import { describe, expect, it } from 'vitest';
import { MATH_LLAMA2, MATH_LLAMA3 } from '../src/lib/crescent/prompts';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { parseRecipe } from '../src/lib/recipe/parse';
import type { Recipe } from '../src/lib/recipe/types';
import {
  applyDomain,
  defaultFields,
  fieldsFromRecipe,
  promptsEdited,
  recipeFromFields,
} from '../src/lib/state/setupFields';

describe('the setup form and the recipe', () => {
  it('gives the recipe module a valid recipe from the default form', () => {
    const recipe = recipeFromFields(defaultFields());
    expect(parseRecipe(recipe).issues).toEqual([]);
    expect(recipe).toEqual({ ...defaultRecipe(), engine: recipe.engine });
    expect(recipe.engine).toEqual({ kind: 'webllm', model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC' });
  });

  it('reads back every field of an endpoint recipe unchanged', () => {
    const recipe: Recipe = {
      ...defaultRecipe('math-llama2'),
      engine: { kind: 'openai', baseUrl: 'http://gpu.lan:8000/v1', model: 'qwen', concurrency: 8 },
      embedder: { kind: 'openai', baseUrl: 'http://gpu.lan:8000/v1', model: 'bge-small' },
      votes: 5,
      similarityThreshold: 0.9,
      seed: 1234,
      faithful: true,
      adaptiveVoting: false,
    };
    expect(recipeFromFields(fieldsFromRecipe(recipe))).toEqual(recipe);
  });

  it('keeps the in-browser model when a recipe switches the form to an endpoint', () => {
    const base = { ...defaultFields(), webllmModel: 'Qwen3-1.7B-q4f32_1-MLC' };
    const recipe: Recipe = {
      ...defaultRecipe(),
      engine: { kind: 'openai', baseUrl: 'http://127.0.0.1:8080/v1', model: 'llama' },
    };
    const fields = fieldsFromRecipe(recipe, base);
    expect(fields.engineKind).toBe('openai');
    expect(fields.webllmModel).toBe('Qwen3-1.7B-q4f32_1-MLC');
    expect(recipeFromFields({ ...fields, engineKind: 'webllm' }).engine).toEqual({
      kind: 'webllm',
      model: 'Qwen3-1.7B-q4f32_1-MLC',
    });
  });

  it('writes a chosen thinking switch into the recipe and reads it back, leaving auto unwritten', () => {
    const fields = { ...defaultFields(), engineKind: 'openai' as const, endpointModel: 'm' };
    expect(recipeFromFields(fields).engine).not.toHaveProperty('thinkingSwitch');

    const strict = recipeFromFields({ ...fields, endpointThinkingSwitch: 'off' });
    expect(strict.engine).toMatchObject({ thinkingSwitch: 'off' });
    expect(fieldsFromRecipe(strict).endpointThinkingSwitch).toBe('off');
    expect(fieldsFromRecipe(recipeFromFields(fields), fieldsFromRecipe(strict))).toMatchObject({
      endpointThinkingSwitch: 'auto',
    });
  });

  it('puts the API key into the run recipe only when one is given', () => {
    const fields = { ...defaultFields(), engineKind: 'openai' as const, endpointModel: 'm' };
    expect(recipeFromFields(fields).engine).not.toHaveProperty('apiKey');
    expect(recipeFromFields(fields, 'sk-1').engine).toMatchObject({ apiKey: 'sk-1' });
  });

  it('maps a self-hosted MiniLM to the transformers embedder with its url', () => {
    const fields = {
      ...defaultFields(),
      embedderChoice: 'self-hosted' as const,
      embedderUrl: ' https://models.example.org/ ',
    };
    expect(recipeFromFields(fields).embedder).toEqual({
      kind: 'transformers',
      model: 'Xenova/all-MiniLM-L6-v2',
      url: 'https://models.example.org/',
    });
    expect(fieldsFromRecipe(recipeFromFields(fields)).embedderChoice).toBe('self-hosted');
  });

  it("puts a preset's exact prompts in the form and notices when they are edited", () => {
    const llama2 = applyDomain(defaultFields(), 'math-llama2');
    expect(llama2.baitPrompt).toBe(MATH_LLAMA2.baitPrompt);
    expect(promptsEdited(llama2)).toBe(false);
    const edited = { ...llama2, baitPrompt: llama2.baitPrompt + ' Use fractions.' };
    expect(promptsEdited(edited)).toBe(true);
    expect(applyDomain(edited, 'math-llama3').baitPrompt).toBe(MATH_LLAMA3.baitPrompt);
  });

  it('keeps the current prompts when the domain becomes custom', () => {
    const custom = applyDomain(
      { ...defaultFields(), baitPrompt: 'Write a geometry problem.' },
      'custom',
    );
    expect(custom.domain).toBe('custom');
    expect(custom.baitPrompt).toBe('Write a geometry problem.');
    expect(promptsEdited(custom)).toBe(false);
  });
});
