// The API keys a resumed run needs: read from where the user kept them, or asked for.
import type { Recipe } from '../recipe/types';
import { endpointsOf, type RunKeys } from '../recipe/secrets';
import { loadApiKey } from './apiKeyStore';

export interface KeyRequest {
  runId: string;
  runName: string;
  /** One entry per endpoint address that needs a key (chat and embeddings may share one). */
  urls: { url: string; parts: (keyof RunKeys)[] }[];
  /** Keys already found, kept when the asked-for ones are added. */
  keys: RunKeys;
}

/** The keys kept in this tab or browser for the recipe's endpoints. */
export function keptKeys(recipe: Recipe | null): RunKeys {
  const keys: RunKeys = {};
  for (const { part, baseUrl } of recipe ? endpointsOf(recipe) : []) {
    const key = loadApiKey(baseUrl);
    if (key) keys[part] = key;
  }
  return keys;
}

/** The endpoint addresses behind the missing parts, one entry per address. */
export function endpointUrls(
  recipe: Recipe,
  missing: readonly (keyof RunKeys)[],
): KeyRequest['urls'] {
  const out: KeyRequest['urls'] = [];
  for (const { part, baseUrl } of endpointsOf(recipe)) {
    if (!missing.includes(part)) continue;
    const entry = out.find((e) => e.url === baseUrl);
    if (entry) entry.parts.push(part);
    else out.push({ url: baseUrl, parts: [part] });
  }
  return out;
}

/** The request's keys with the entered ones added, by address. */
export function keysFromEntries(request: KeyRequest, entered: readonly string[]): RunKeys {
  const keys: RunKeys = { ...request.keys };
  request.urls.forEach((entry, i) => {
    const key = entered[i]?.trim();
    if (!key) return;
    for (const part of entry.parts) keys[part] = key;
  });
  return keys;
}
