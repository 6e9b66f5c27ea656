// The endpoint's API key lives only in this browser's localStorage, keyed by endpoint URL,
// and never in a recipe link or a download.

const PREFIX = 'crescent.apiKey:';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Some privacy modes throw on access.
    return null;
  }
}

export function loadApiKey(baseUrl: string): string {
  return storage()?.getItem(PREFIX + baseUrl.trim()) ?? '';
}

export function saveApiKey(baseUrl: string, key: string): void {
  const s = storage();
  if (!s) return;
  if (key) s.setItem(PREFIX + baseUrl.trim(), key);
  else s.removeItem(PREFIX + baseUrl.trim());
}
