// How many requests an OpenAI-compatible server runs at once, where it says so: llama.cpp's
// llama-server answers GET /props (beside /v1, not under it) with `total_slots`.
import type { AbortSignalLike } from '../crescent/types';
import { callEndpoint, type EndpointOptions } from './openaiHttp';

/** Short: the answer is a hint for the form, and a server without /props should not hold it up. */
export const SLOTS_TIMEOUT_MS = 3_000;

/**
 * Where llama-server keeps /props for this base URL: the same address without its trailing
 * `/v1`, so a server under a path prefix (`--api-prefix`) is asked under that prefix. Null for
 * anything that is not an http(s) URL.
 */
export function propsBase(baseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}`;
}

/** `total_slots` from a /props reply, when it is a whole number of at least 1. */
export function totalSlotsOf(props: unknown): number | null {
  if (typeof props !== 'object' || props === null) return null;
  const slots = (props as { total_slots?: unknown }).total_slots;
  return typeof slots === 'number' && Number.isInteger(slots) && slots >= 1 ? slots : null;
}

export interface ServerSlotsOptions extends Pick<
  EndpointOptions,
  'baseUrl' | 'apiKey' | 'fetch' | 'setTimer' | 'pageOrigin' | 'timeoutMs'
> {
  signal?: AbortSignalLike;
}

/**
 * The server's parallel slots, or null when it does not tell (vLLM and Ollama have no /props)
 * or cannot be asked. Never throws. The key goes with the request only because /props is on
 * the endpoint's own origin.
 */
export async function readServerSlots(options: ServerSlotsOptions): Promise<number | null> {
  const base = propsBase(options.baseUrl);
  if (base === null) return null;
  try {
    return await callEndpoint(
      {
        ...options,
        baseUrl: base,
        maxRetries: 0,
        timeoutMs: options.timeoutMs ?? SLOTS_TIMEOUT_MS,
      },
      { path: 'props', method: 'GET' },
      async (response) => totalSlotsOf(await response.json()),
      options.signal,
    );
  } catch {
    return null;
  }
}
