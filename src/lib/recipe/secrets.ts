// API keys travel with a run only in memory: the stored run keeps its recipe without them and
// notes which keys it was started with, so a resume can ask for what it needs.
import type { Recipe } from './types';

/** The keys a run was given, by the part of the recipe they belong to. */
export interface RunKeys {
  engine?: string;
  embedder?: string;
}

/** Which parts of a stored run were started with a key (the keys themselves are not stored). */
export interface KeyedParts {
  engine: boolean;
  embedder: boolean;
}

/** An OpenAI-compatible endpoint the recipe uses, for its chat model or its embedder. */
export interface EndpointPart {
  part: keyof RunKeys;
  baseUrl: string;
  apiKey?: string;
}

/** The recipe's OpenAI-compatible endpoints, the chat model's first. */
export function endpointsOf(recipe: Recipe): EndpointPart[] {
  const parts: EndpointPart[] = [];
  for (const part of ['engine', 'embedder'] as const) {
    const spec = recipe[part];
    if (spec.kind !== 'openai') continue;
    parts.push(
      spec.apiKey
        ? { part, baseUrl: spec.baseUrl, apiKey: spec.apiKey }
        : { part, baseUrl: spec.baseUrl },
    );
  }
  return parts;
}

/** Every server the recipe sends prompts to: each endpoint, and the chat model's replicas. */
export function serverUrlsOf(recipe: Recipe): string[] {
  const urls = endpointsOf(recipe).map((e) => e.baseUrl);
  if (recipe.engine.kind === 'openai') urls.push(...(recipe.engine.baseUrls ?? []));
  return urls;
}

export function keyedParts(recipe: Recipe): KeyedParts {
  const keyed = endpointsOf(recipe)
    .filter((e) => e.apiKey)
    .map((e) => e.part);
  return { engine: keyed.includes('engine'), embedder: keyed.includes('embedder') };
}

/** The recipe with the given keys put back where a key belongs; other parts are left alone. */
export function withKeys(recipe: Recipe, keys: RunKeys): Recipe {
  const engine =
    recipe.engine.kind === 'openai' && keys.engine
      ? { ...recipe.engine, apiKey: keys.engine }
      : recipe.engine;
  const embedder =
    recipe.embedder.kind === 'openai' && keys.embedder
      ? { ...recipe.embedder, apiKey: keys.embedder }
      : recipe.embedder;
  return { ...recipe, engine, embedder };
}

/** The parts a stored run needs a key for that `keys` does not give. */
export function missingKeys(keyed: KeyedParts | undefined, keys: RunKeys): (keyof RunKeys)[] {
  const missing: (keyof RunKeys)[] = [];
  if (keyed?.engine && !keys.engine) missing.push('engine');
  if (keyed?.embedder && !keys.embedder) missing.push('embedder');
  return missing;
}
