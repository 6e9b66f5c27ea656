// One request to an OpenAI-compatible endpoint, with the retry policy shared by chat and
// embeddings: backoff with jitter (or the server's Retry-After) on 408, 429, 5xx and dropped
// connections; no retry on other 4xx; an abort ends everything at once, backoff included.
import pRetry from 'p-retry';
import { CrescentError } from '../crescent/errors';
import type { AbortSignalLike } from '../crescent/types';
import {
  currentOrigin,
  droppedError,
  errorDetail,
  statusError,
  timeoutError,
  unreachableError,
} from './openaiErrors';
import { stopped } from './stopped';
import { sleepOn, systemTimer, type SetTimer } from './timer';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
export type Sleep = (ms: number, signal?: AbortSignalLike) => Promise<void>;

export interface EndpointOptions {
  /** e.g. http://localhost:11434/v1 */
  baseUrl: string;
  apiKey?: string;
  fetch?: FetchLike;
  /** The clock behind the idle timeout and, unless `sleep` is given, the waits between retries. */
  setTimer?: SetTimer;
  sleep?: Sleep;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Give up on an attempt when the server sends nothing for this long. */
  timeoutMs?: number;
  /** The calling page's origin, for telling CORS and mixed content apart; defaults to location. */
  pageOrigin?: string;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

/**
 * The body ended before the server said it was done: the connection dropped, or (`unfinished`)
 * the server closed the stream properly without saying why the reply ended.
 */
export class StreamCut extends Error {
  constructor(readonly unfinished = false) {
    super(
      unfinished
        ? 'The server ended the stream without finishing the reply'
        : 'The connection closed before the reply was complete',
    );
    this.name = 'StreamCut';
  }
}

const DEFAULT_MAX_RETRIES = 4;
// Long: a local server may load the model before it sends the first byte.
const DEFAULT_TIMEOUT_MS = 300_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 20_000;
const RETRY_AFTER_CAP_MS = 120_000;

export function endpointUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Seconds or an HTTP date, as servers send it; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), RETRY_AFTER_CAP_MS);
}

function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return ceiling / 2 + (ceiling / 2) * random();
}

export interface EndpointRequest {
  path: string;
  method: 'GET' | 'POST';
  body?: unknown;
}

/** Reads a successful response; `alive` resets the idle timeout (call it per chunk). */
export type ReadResponse<T> = (response: Response, alive: () => void) => Promise<T>;

/** The text with every occurrence of the API key replaced. */
export function withoutKey(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join('[API key]') : text;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Why an attempt failed and, for one worth repeating, how long the server asked to wait. */
interface Failed {
  failure: CrescentError;
  retry: boolean;
  retryAfter: number | null;
}

/** Carries a failed attempt through p-retry, which decides from it whether to go again. */
class AttemptFailed extends Error {
  constructor(readonly failed: Failed) {
    super(failed.failure.message);
    this.name = 'AttemptFailed';
  }
}

export async function callEndpoint<T>(
  options: EndpointOptions,
  request: EndpointRequest,
  read: ReadResponse<T>,
  signal?: AbortSignalLike,
): Promise<T> {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const setTimer = options.setTimer ?? systemTimer;
  // p-retry's own waits use the real clock and cannot honour Retry-After, so it waits for none
  // (minTimeout 0) and the wait happens here, on the injected timer, before each new attempt.
  const sleep: Sleep = options.sleep ?? ((ms, on) => sleepOn(setTimer, ms, on, () => stopped(on)));
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = endpointUrl(options.baseUrl, request.path);
  const headers: Record<string, string> = { Accept: 'application/json, text/event-stream' };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.apiKey) headers.Authorization = `Bearer ${options.apiKey}`;

  const attempt = async (attemptNumber: number): Promise<T> => {
    if (signal?.aborted) throw stopped(signal);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    let cancelTimer: (() => void) | undefined;
    const alive = (): void => {
      cancelTimer?.();
      cancelTimer = setTimer(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
    };
    let responded = false;
    try {
      alive();
      const response = await doFetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
      });
      responded = true;
      if (response.ok) return await read(response, alive);
      // A server may echo the request back: the key must not reach a message, a record or a log.
      const detail = withoutKey(errorDetail(await response.text().catch(() => '')), options.apiKey);
      throw new AttemptFailed({
        failure: statusError(response.status, url, detail, attemptNumber),
        retry: isRetryableStatus(response.status),
        retryAfter: retryAfterMs(response.headers.get('Retry-After')),
      });
    } catch (error) {
      if (signal?.aborted) throw stopped(signal);
      if (error instanceof AttemptFailed || error instanceof CrescentError) throw error;
      const retried = (failure: CrescentError): AttemptFailed =>
        new AttemptFailed({ failure, retry: true, retryAfter: null });
      if (timedOut) throw retried(timeoutError(url, timeoutMs));
      if (responded && (error instanceof TypeError || error instanceof StreamCut))
        throw retried(droppedError(url, error));
      if (error instanceof TypeError)
        throw retried(unreachableError(url, options.pageOrigin ?? currentOrigin(), error));
      throw new CrescentError(
        {
          code: 'server-error',
          message: `The server sent a reply that could not be read: ${String(error)}`,
          action: 'Check that the base URL points at an OpenAI-compatible API.',
          perRequest: true,
        },
        { cause: error },
      );
    } finally {
      cancelTimer?.();
      signal?.removeEventListener('abort', onAbort);
    }
  };

  try {
    return await pRetry(attempt, {
      retries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      minTimeout: 0,
      shouldRetry: ({ error }) => error instanceof AttemptFailed && error.failed.retry,
      onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
        if (!(error instanceof AttemptFailed) || !error.failed.retry || retriesLeft === 0) return;
        await sleep(error.failed.retryAfter ?? backoffMs(retriesConsumed, random), signal);
      },
    });
  } catch (error) {
    throw error instanceof AttemptFailed ? error.failed.failure : error;
  }
}
