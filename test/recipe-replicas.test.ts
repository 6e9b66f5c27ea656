// Replicas in the recipe: extra base URLs of the same model, kept through links and files, checked
// like the base URL, stripped of credentials, named wherever the page says where prompts go.
import { describe, expect, it } from 'vitest';
import { engineLoader } from '../src/lib/worker/factories';
import { privacyClaim } from '../src/lib/network/privacyClaim';
import { originContext } from '../src/lib/network/recipeOrigins';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { recipeFromHash, recipeLink, withoutSecrets } from '../src/lib/recipe/link';
import { parseRecipe } from '../src/lib/recipe/parse';
import { serverUrlsOf } from '../src/lib/recipe/secrets';
import type { Recipe } from '../src/lib/recipe/types';
import { formProblems } from '../src/lib/state/formProblems';
import { defaultFields, fieldsFromRecipe, recipeFromFields } from '../src/lib/state/setupFields';

function withReplicas(baseUrls?: string[]): Recipe {
  return {
    ...defaultRecipe(),
    engine: {
      kind: 'openai',
      baseUrl: 'http://gpu-1:8000/v1',
      ...(baseUrls ? { baseUrls } : {}),
      model: 'qwen3',
      concurrency: 8,
    },
  };
}

describe('replicas in the recipe', () => {
  it('keeps them through a link, and still loads a link made before they existed', () => {
    const recipe = withReplicas(['http://gpu-2:8000/v1', 'http://gpu-3:8000/v1']);
    const hash = new URL(recipeLink(recipe, 'https://app.example/')).hash;
    expect(recipeFromHash(hash)).toEqual({ recipe, issues: [] });

    const before = withReplicas();
    const old = `#recipe=${encodeURIComponent(JSON.stringify(before))}`;
    const loaded = recipeFromHash(old);
    expect(loaded?.issues).toEqual([]);
    expect(loaded?.recipe.engine).toEqual(before.engine);
    expect(loaded?.recipe.engine).not.toHaveProperty('baseUrls');
  });

  it('reports a replica that is not an http URL by its place, and drops the list', () => {
    const { recipe, issues } = parseRecipe(
      withReplicas(['http://gpu-2:8000/v1', 'gpu-3:8000', 'ftp://gpu-4/v1']),
    );
    expect(issues).toEqual([
      { path: 'engine.baseUrls.1', message: 'Must start with http:// or https://.' },
      { path: 'engine.baseUrls.2', message: 'Must start with http:// or https://.' },
    ]);
    expect(recipe.engine).toEqual(withReplicas().engine);
  });

  it('refuses the same replica twice', () => {
    const { issues } = parseRecipe(withReplicas(['http://gpu-2:8000/v1', 'http://gpu-2:8000/v1']));
    expect(issues).toEqual([{ path: 'engine.baseUrls', message: 'Each replica once.' }]);
  });

  it('takes the user name and password out of every replica for links and files', () => {
    const recipe = withReplicas(['http://bob:hunter2@gpu-2:8000/v1', 'http://gpu-3:8000/v1']);
    const clean = withoutSecrets(recipe);
    expect(clean.engine.kind === 'openai' && clean.engine.baseUrls).toEqual([
      'http://gpu-2:8000/v1',
      'http://gpu-3:8000/v1',
    ]);
    expect(recipeLink(recipe, 'https://app.example/')).not.toContain('hunter2');
  });

  it('names every replica where the page says which servers it contacts', () => {
    const recipe = withReplicas(['http://gpu-2:8000/v1']);
    expect(serverUrlsOf(recipe)).toEqual(['http://gpu-1:8000/v1', 'http://gpu-2:8000/v1']);
    expect(originContext('https://app.example', [recipe]).endpoints).toEqual([
      'http://gpu-1:8000/v1',
      'http://gpu-2:8000/v1',
    ]);
    expect(privacyClaim(recipe).text).toBe('Prompts go only to gpu-1:8000 and gpu-2:8000');
  });

  it('runs an engine over all of them, their concurrency summed', async () => {
    const recipe = withReplicas(['http://gpu-2:8000/v1', 'http://gpu-3:8000/v1']);
    const { engine } = await engineLoader()(recipe.engine, {
      onProgress: () => undefined,
      signal: new AbortController().signal,
    });
    expect(engine.concurrency).toBe(24);
  });
});

describe('the setup form’s replicas', () => {
  const openai = { ...defaultFields(), engineKind: 'openai' as const, endpointModel: 'm' };

  it('reads one URL a line, ignoring blank lines and spaces, and writes them back the same way', () => {
    const fields = {
      ...openai,
      endpointReplicas: ' http://gpu-2:8000/v1 \n\n\r\nhttp://gpu-3:8000/v1\n',
    };
    const recipe = recipeFromFields(fields);
    expect(recipe.engine.kind === 'openai' && recipe.engine.baseUrls).toEqual([
      'http://gpu-2:8000/v1',
      'http://gpu-3:8000/v1',
    ]);
    expect(fieldsFromRecipe(recipe).endpointReplicas).toBe(
      'http://gpu-2:8000/v1\nhttp://gpu-3:8000/v1',
    );
  });

  it('leaves the field out of the recipe when there are none', () => {
    expect(recipeFromFields({ ...openai, endpointReplicas: '\n  \n' }).engine).not.toHaveProperty(
      'baseUrls',
    );
  });

  it('will not start with a replica that is not a URL', () => {
    const problems = formProblems({ ...openai, endpointReplicas: 'http://gpu-2:8000/v1\ngpu-3' });
    expect(problems).toContainEqual({ path: 'engine.baseUrls.1', message: 'Must be a full URL.' });
    expect(problems.every((p) => p.path === 'engine.baseUrls.1')).toBe(true);
  });
});
