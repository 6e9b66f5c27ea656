// An endpoint's API key, keyed by endpoint URL, kept where the user chose: for this tab only
// (sessionStorage: gone when the tab closes, kept across its reloads) or in this browser
// (localStorage). Never in IndexedDB, a recipe link, a download or a stored run.

const PREFIX = 'crescent.apiKey:';

export type KeyScope = 'tab' | 'browser';

function store(scope: KeyScope): Storage | null {
  try {
    const s = scope === 'tab' ? globalThis.sessionStorage : globalThis.localStorage;
    return s ?? null;
  } catch {
    // Some privacy modes throw on access.
    return null;
  }
}

/** The key kept for this endpoint, the tab's first; '' when none. */
export function loadApiKey(baseUrl: string): string {
  const name = PREFIX + baseUrl.trim();
  return store('tab')?.getItem(name) ?? store('browser')?.getItem(name) ?? '';
}

/** Where this endpoint's key is kept, or null when no key is. */
export function keyScopeOf(baseUrl: string): KeyScope | null {
  const name = PREFIX + baseUrl.trim();
  if (store('tab')?.getItem(name)) return 'tab';
  if (store('browser')?.getItem(name)) return 'browser';
  return null;
}

/** Keeps the key in the chosen place only (an empty key removes it from both). */
export function saveApiKey(baseUrl: string, key: string, scope: KeyScope = 'tab'): void {
  const name = PREFIX + baseUrl.trim();
  for (const where of ['tab', 'browser'] as const) {
    const s = store(where);
    if (!s) continue;
    if (key && where === scope) s.setItem(name, key);
    else s.removeItem(name);
  }
}
