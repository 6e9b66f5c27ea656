// Sharing a recipe: a link that opens the app pre-filled, and a short stable id for exports.
// Neither ever carries an API key.
import { parseRecipe, type ParsedRecipe } from './parse';
import type { Recipe } from './types';

const HASH_KEY = 'recipe';

/** A URL without user name and password; anything that does not parse is left as it is. */
function withoutCredentials(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

/**
 * The recipe with every API key and every credential inside a server URL removed; safe to put in
 * a link, a file or a dataset card.
 */
export function withoutSecrets(recipe: Recipe): Recipe {
  const { apiKey: _engineKey, ...engine } = { apiKey: undefined, ...recipe.engine };
  const { apiKey: _embedderKey, ...embedder } = { apiKey: undefined, ...recipe.embedder };
  if ('baseUrl' in engine) engine.baseUrl = withoutCredentials(engine.baseUrl);
  if ('baseUrls' in engine && engine.baseUrls)
    engine.baseUrls = engine.baseUrls.map(withoutCredentials);
  if ('baseUrl' in embedder) embedder.baseUrl = withoutCredentials(embedder.baseUrl);
  return { ...recipe, engine, embedder };
}

/** JSON with keys sorted at every level and undefined values left out: equal recipes, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  });
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/** FNV-1a, 64 bits, over UTF-8: synchronous, so exports can stamp each row without awaiting. */
export function fnv1a64(text: string): bigint {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  }
  return hash;
}

/** A 12-hex-digit id of the recipe's content (API keys excluded); the same recipe always gets the same id. */
export function recipeId(recipe: Recipe): string {
  return fnv1a64(canonicalJson(withoutSecrets(recipe)))
    .toString(16)
    .padStart(16, '0')
    .slice(0, 12);
}

/** `baseUrl` with its hash replaced by `#recipe=<encoded JSON>`. */
export function recipeLink(recipe: Recipe, baseUrl: string): string {
  const base = baseUrl.split('#')[0] ?? baseUrl;
  return `${base}#${HASH_KEY}=${encodeURIComponent(JSON.stringify(withoutSecrets(recipe)))}`;
}

/**
 * The recipe in a location hash ('#recipe=...', also among other '&'-separated entries), or null
 * when the hash holds none. A hash that cannot be decoded gives the defaults with an issue.
 */
export function recipeFromHash(hash: string): ParsedRecipe | null {
  const entry = hash
    .replace(/^#/, '')
    .split('&')
    .find((part) => part.startsWith(`${HASH_KEY}=`));
  if (entry === undefined) return null;
  let input: unknown;
  try {
    input = JSON.parse(decodeURIComponent(entry.slice(HASH_KEY.length + 1)));
  } catch {
    const { recipe } = parseRecipe({});
    return { recipe, issues: [{ path: '', message: 'The link holds no readable recipe.' }] };
  }
  return parseRecipe(input);
}
