// The addresses a set of recipes tells the page to contact: endpoints and benchmark files.
import { ggufUrl } from '../engines/ggufCatalog';
import { serverUrlsOf } from '../recipe/secrets';
import type { Recipe } from '../recipe/types';
import type { OriginContext } from './tally';

/** The context the network log explains origins by: this page, and what the recipes set up. */
export function originContext(
  app: string,
  recipes: readonly (Recipe | null | undefined)[],
): OriginContext {
  const endpoints: string[] = [];
  const benchmarks: string[] = [];
  for (const recipe of recipes) {
    if (!recipe) continue;
    endpoints.push(...serverUrlsOf(recipe));
    if (recipe.embedder.kind === 'transformers' && recipe.embedder.url) {
      endpoints.push(recipe.embedder.url);
    }
    if (recipe.engine.kind === 'wllama') {
      const url = ggufUrl(recipe.engine.model, recipe.engine.modelUrl);
      if (url) endpoints.push(url);
    }
    if (recipe.engine.kind === 'webllm') {
      for (const url of [recipe.engine.modelUrl, recipe.engine.modelLibUrl])
        if (url) endpoints.push(url);
    }
    for (const b of recipe.decontamination?.benchmarks ?? []) if (b.url) benchmarks.push(b.url);
  }
  return { app, endpoints, benchmarks };
}
