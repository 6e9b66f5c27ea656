// The endpoint's requests made from a shared worker instead of the pipeline worker. Chromium tells
// a page's main thread about every request its dedicated workers make (two notices each, about
// 0.15 ms of the page's main thread per request on a 2-core Xeon); a shared worker belongs to no
// frame, so a run against a fast server leaves the page's main thread alone. The pipeline worker
// and the relay talk over a MessagePort of their own, which never touches the main thread.
//
// The relay is only a transport: the pipeline worker still decides every request, retry and
// timeout (openaiHttp.ts), and gets back a real Response whose body streams as the relay reads
// it. Until the relay says it is ready (and where there is none), requests are made directly.
import type { FetchLike } from '../engines/openaiHttp';
import type { NetworkRecord } from '../network/tally';

/** The part of a MessagePort both sides use; Node's and the browser's ports both have it. */
export interface RelayPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start(): void;
  close(): void;
}

type ToRelay =
  | {
      kind: 'fetch';
      id: number;
      url: string;
      method: string;
      headers: [string, string][];
      body: string | null;
    }
  | { kind: 'abort'; id: number }
  | { kind: 'record'; id: number };

interface Head {
  id: number;
  status: number;
  statusText: string;
  headers: [string, string][];
}

type FromRelay =
  | { kind: 'ready' }
  | ({ kind: 'head' } & Head)
  | ({ kind: 'whole'; bytes: ArrayBuffer } & Head)
  | { kind: 'chunk'; id: number; bytes: ArrayBuffer }
  | { kind: 'end'; id: number }
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'record'; id: number; record: NetworkRecord };

export interface ServeOptions {
  fetch?: FetchLike;
  /** What the relay's own scope has contacted (its network recorder). */
  record?: () => NetworkRecord;
}

/** The relay's side of one port: makes each request asked for and streams the reply back. */
export function serveFetchRelay(port: RelayPort, options: ServeOptions = {}): void {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const inFlight = new Map<number, AbortController>();
  const post = (message: FromRelay, transfer: Transferable[] = []): void =>
    port.postMessage(message, transfer);

  const relay = async (request: Extract<ToRelay, { kind: 'fetch' }>): Promise<void> => {
    const controller = new AbortController();
    inFlight.set(request.id, controller);
    try {
      const response = await doFetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      const head: Head = {
        id: request.id,
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
      };
      // A reply that is not an event stream is read whole and sent in one message: a chat reply
      // from a server that ignores `stream`, embeddings, an error's text.
      if (!(response.headers.get('Content-Type') ?? '').includes('text/event-stream')) {
        const bytes = await response.arrayBuffer();
        post({ kind: 'whole', ...head, bytes }, [bytes]);
        return;
      }
      post({ kind: 'head', ...head });
      const reader = response.body?.getReader();
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        // A chunk may be a view into a larger buffer; only a whole buffer can be handed over.
        const whole =
          value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
            ? value
            : value.slice();
        post({ kind: 'chunk', id: request.id, bytes: whole.buffer as ArrayBuffer }, [
          whole.buffer as ArrayBuffer,
        ]);
      }
      post({ kind: 'end', id: request.id });
    } catch (error) {
      // After an abort the other side has already given up on this request.
      if (!controller.signal.aborted) {
        post({ kind: 'failed', id: request.id, message: messageOf(error) });
      }
    } finally {
      inFlight.delete(request.id);
    }
  };

  port.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as ToRelay;
    if (message.kind === 'fetch') void relay(message);
    else if (message.kind === 'abort') inFlight.get(message.id)?.abort();
    else if (message.kind === 'record') {
      const record = options.record?.() ?? { origins: [], refusals: [] };
      post({ kind: 'record', id: message.id, record });
    }
  });
  port.start();
  post({ kind: 'ready' });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Statuses whose response has no body, which a Response can't be built with. */
function bodyless(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

interface Waiting {
  head(message: Head, bytes?: ArrayBuffer): void;
  chunk(bytes: ArrayBuffer): void;
  end(): void;
  failed(message: string): void;
}

/** The pipeline worker's side: a fetch that goes through the relay once it is ready. */
export class FetchRelayClient {
  readonly #port: RelayPort;
  readonly #direct: FetchLike;
  #ready = false;
  #nextId = 1;
  readonly #waiting = new Map<number, Waiting>();
  readonly #records = new Map<number, (record: NetworkRecord) => void>();

  constructor(port: RelayPort, direct: FetchLike) {
    this.#port = port;
    this.#direct = direct;
    port.addEventListener('message', (event: MessageEvent) => this.#receive(event.data));
    port.start();
  }

  /** True once the relay has answered; requests before that are made directly. */
  get ready(): boolean {
    return this.#ready;
  }

  readonly fetch: FetchLike = (url, init) => {
    const body = init.body ?? null;
    // Only what the endpoint engines send is relayed: a text body or none.
    if (!this.#ready || (body !== null && typeof body !== 'string')) {
      return this.#direct(url, init);
    }
    return this.#relayed(url, init, body);
  };

  /** The relay's own network record; null when it has not answered. */
  record(): Promise<NetworkRecord | null> {
    if (!this.#ready) return Promise.resolve(null);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#records.set(id, resolve);
      this.#post({ kind: 'record', id });
    });
  }

  close(): void {
    for (const waiting of this.#waiting.values()) waiting.failed('The relay was closed');
    this.#waiting.clear();
    for (const resolve of this.#records.values()) resolve({ origins: [], refusals: [] });
    this.#records.clear();
    this.#port.close();
  }

  #post(message: ToRelay): void {
    this.#port.postMessage(message);
  }

  #receive(message: FromRelay): void {
    if (message.kind === 'ready') {
      this.#ready = true;
      return;
    }
    if (message.kind === 'record') {
      this.#records.get(message.id)?.(message.record);
      this.#records.delete(message.id);
      return;
    }
    const waiting = this.#waiting.get(message.id);
    if (!waiting) return;
    if (message.kind === 'head') waiting.head(message);
    else if (message.kind === 'whole') waiting.head(message, message.bytes);
    else if (message.kind === 'chunk') waiting.chunk(message.bytes);
    else if (message.kind === 'end') waiting.end();
    else waiting.failed(message.message);
  }

  #relayed(url: string, init: RequestInit, body: string | null): Promise<Response> {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const id = this.#nextId++;
    return new Promise<Response>((resolve, reject) => {
      let stream!: ReadableStreamDefaultController<Uint8Array>;
      let answered = false;
      const finish = (): void => {
        this.#waiting.delete(id);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        finish();
        this.#post({ kind: 'abort', id });
        const reason = abortReason(signal as AbortSignal);
        if (answered) stream.error(reason);
        else reject(reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(id, {
        head: ({ status, statusText, headers }, bytes) => {
          answered = true;
          const meta = { status, statusText, headers };
          if (bytes) {
            finish();
            resolve(new Response(bodyless(status) ? null : bytes, meta));
            return;
          }
          const content = new ReadableStream<Uint8Array>({
            start: (controller) => {
              stream = controller;
            },
            // The reader stopped reading: the relay stops too.
            cancel: () => {
              if (!this.#waiting.has(id)) return;
              finish();
              this.#post({ kind: 'abort', id });
            },
          });
          resolve(new Response(bodyless(status) ? null : content, meta));
        },
        chunk: (bytes) => stream.enqueue(new Uint8Array(bytes)),
        end: () => {
          finish();
          stream.close();
        },
        failed: (message) => {
          finish();
          // As fetch fails: a TypeError, before the reply or while its body is read.
          const error = new TypeError(message);
          if (answered) stream.error(error);
          else reject(error);
        },
      });
      this.#post({
        kind: 'fetch',
        id,
        url,
        method: init.method ?? 'GET',
        headers: [...new Headers(init.headers)],
        body,
      });
    });
  }
}
