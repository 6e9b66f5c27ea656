// Where the GGUF engine fetches a model from, and the setup form's round trip of its settings.
import { describe, expect, it } from 'vitest';
import { GGUF_CATALOG, ggufModel, ggufUrl } from '../src/lib/engines/ggufCatalog';
import { parseRecipe } from '../src/lib/recipe/parse';
import { formProblems } from '../src/lib/state/formProblems';
import { defaultFields, fieldsFromRecipe, recipeFromFields } from '../src/lib/state/setupFields';

describe('ggufUrl', () => {
  it('reads a catalog id, a Hub owner/repo/file.gguf, and lets a URL override both', () => {
    const first = GGUF_CATALOG[0]!;
    expect(ggufUrl(first.id)).toBe(
      `https://huggingface.co/${first.repo}/resolve/main/${first.file}`,
    );
    expect(ggufUrl('bartowski/Some-Model-GGUF/Some-Model-Q4_K_M.gguf')).toBe(
      'https://huggingface.co/bartowski/Some-Model-GGUF/resolve/main/Some-Model-Q4_K_M.gguf',
    );
    expect(ggufUrl('owner/repo/sub/dir/m.gguf')).toBe(
      'https://huggingface.co/owner/repo/resolve/main/sub/dir/m.gguf',
    );
    expect(ggufUrl(first.id, 'http://127.0.0.1:9000/m.gguf')).toBe('http://127.0.0.1:9000/m.gguf');
  });

  it('has no address for a name that is neither', () => {
    expect(ggufUrl('just-a-name')).toBeUndefined();
    expect(ggufUrl('owner/repo/model.bin')).toBeUndefined();
    expect(ggufUrl('owner/model.gguf')).toBeUndefined();
    expect(ggufModel('just-a-name')).toBeUndefined();
  });

  it('lists unique ids with their file, quantisation and size', () => {
    expect(new Set(GGUF_CATALOG.map((m) => m.id)).size).toBe(GGUF_CATALOG.length);
    for (const m of GGUF_CATALOG) {
      expect(m.file).toMatch(/\.gguf$/);
      expect(m.sizeMB).toBeGreaterThan(0);
      expect(m.quantization).not.toBe('');
    }
  });
});

describe('the GGUF engine in the setup form', () => {
  it('makes a recipe the schema accepts and reads it back', () => {
    const fields = {
      ...defaultFields(),
      engineKind: 'wllama' as const,
      ggufModel: 'owner/repo/m.gguf',
      ggufUrl: ' http://127.0.0.1:9000/m.gguf ',
      ggufDevice: 'webgpu' as const,
    };
    const recipe = recipeFromFields(fields);
    expect(recipe.engine).toEqual({
      kind: 'wllama',
      model: 'owner/repo/m.gguf',
      modelUrl: 'http://127.0.0.1:9000/m.gguf',
      device: 'webgpu',
    });
    expect(parseRecipe(recipe).issues).toEqual([]);
    const back = fieldsFromRecipe(recipe);
    expect([back.engineKind, back.ggufModel, back.ggufUrl, back.ggufDevice]).toEqual([
      'wllama',
      'owner/repo/m.gguf',
      'http://127.0.0.1:9000/m.gguf',
      'webgpu',
    ]);
    expect(formProblems(fields)).toEqual([]);
  });

  it('refuses a model it cannot fetch', () => {
    const fields = { ...defaultFields(), engineKind: 'wllama' as const, ggufModel: 'nothing' };
    expect(formProblems(fields).map((p) => p.path)).toContain('engine.model');
    expect(
      parseRecipe({
        ...recipeFromFields(fields),
        engine: { kind: 'wllama', model: 'm', device: 'cuda' },
      }).issues.map((i) => i.path),
    ).toContain('engine.device');
  });
});
