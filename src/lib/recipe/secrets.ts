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

export function keyedParts(recipe: Recipe): KeyedParts {
  return {
    engine: recipe.engine.kind === 'openai' && Boolean(recipe.engine.apiKey),
    embedder: recipe.embedder.kind === 'openai' && Boolean(recipe.embedder.apiKey),
  };
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
