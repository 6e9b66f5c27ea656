// The UI's handle on the pipeline worker: the worker's API with real CrescentErrors, and one
// event stream that merges this tab's worker with the runs other tabs of the browser execute.
import * as Comlink from 'comlink';
import { rebuildError, registerErrorTransfer } from './errorTransfer';
import type { PipelineApi, PipelineEvent } from './protocol';

export type PipelineCommands = Omit<PipelineApi, 'subscribe' | 'useFetchRelay'>;

/** Where an event comes from: this tab's own worker, or a run another tab executes. */
export type EventOrigin = 'this-tab' | 'other-tab';

export type ClientListener = (event: PipelineEvent, origin: EventOrigin) => void;

export interface PipelineClient extends PipelineCommands {
  /** Events of this tab's worker and of runs in other tabs; returns the unsubscribe. */
  subscribe(listener: ClientListener): () => void;
  /** Stops the worker and leaves the event channel. */
  dispose(): void;
}

/** Other tabs hear about a run over this channel (the one that runs it is the only one with a lock). */
const EVENTS_CHANNEL = 'crescent-events';

const EVENT_TYPES: ReadonlySet<string> = new Set(['status', 'load', 'progress', 'error']);

function isPipelineEvent(value: unknown): value is PipelineEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    'type' in value &&
    typeof value.type === 'string' &&
    EVENT_TYPES.has(value.type)
  );
}

/** Load progress concerns only the tab that asked for the model. */
function concernsOtherTabs(event: PipelineEvent): boolean {
  return event.type !== 'load' && event.runId !== null;
}

function openChannel(listener: (event: PipelineEvent) => void): BroadcastChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  const channel = new BroadcastChannel(EVENTS_CHANNEL);
  channel.onmessage = (message: MessageEvent<unknown>) => {
    if (isPipelineEvent(message.data)) listener(message.data);
  };
  return channel;
}

function spawnPipelineWorker(): Worker {
  return new Worker(new URL('./pipeline.worker.ts', import.meta.url), {
    type: 'module',
    name: 'crescent-pipeline',
  });
}

/**
 * A private fetch relay for this tab's pipeline worker (fetchRelay.ts), or null where the browser
 * has no shared workers. A relay whose script fails to start never answers, and the worker then
 * makes its requests itself.
 */
function spawnFetchRelay(): SharedWorker | null {
  if (typeof SharedWorker !== 'function') return null;
  try {
    return new SharedWorker(new URL('./fetchRelay.worker.ts', import.meta.url), {
      type: 'module',
      // Its own name: one relay per tab, gone with the tab, its network record the tab's own.
      name: `crescent-fetch-relay-${Math.random().toString(36).slice(2)}`,
    });
  } catch {
    return null;
  }
}

/**
 * Takes ownership of `endpoint` (dispose() terminates it). This tab's worker events are passed on
 * to the other tabs by this client; a BroadcastChannel never hears its own messages, so no tab
 * sees an event twice. Without an endpoint, the client starts the pipeline worker and its fetch
 * relay.
 */
export function createPipelineClient(endpoint?: Worker | MessagePort): PipelineClient {
  registerErrorTransfer();
  const own = endpoint === undefined;
  const worker = endpoint ?? spawnPipelineWorker();
  const remote = Comlink.wrap<PipelineApi>(worker);
  const relay = own ? spawnFetchRelay() : null;
  if (relay) {
    // Without the relay the worker fetches for itself, which works the same, only costs this
    // page's main thread more; so a refusal here is not an error the user needs to see.
    remote.useFetchRelay(Comlink.transfer(relay.port, [relay.port])).catch(() => undefined);
  }
  const listeners = new Set<ClientListener>();

  const deliver = (event: PipelineEvent, origin: EventOrigin): void => {
    for (const listener of listeners) {
      try {
        listener(event, origin);
      } catch (error) {
        // One broken listener must not starve the others.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
  const fromWorker = (event: PipelineEvent): void => {
    deliver(event, 'this-tab');
    if (concernsOtherTabs(event)) channel?.postMessage(event);
  };
  // One channel both ways: a channel never hears its own messages, so no event arrives twice.
  const channel = openChannel((event) => deliver(event, 'other-tab'));
  // Subscribed at once, so the events of a run started right after creation are all seen.
  remote.subscribe(Comlink.proxy(fromWorker)).catch((error: unknown) => {
    deliver({ type: 'error', runId: null, error: rebuildError(error).toInfo() }, 'this-tab');
  });

  const call = async <T>(request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw rebuildError(error);
    }
  };

  return {
    preflight: () => call(() => remote.preflight()),
    start: (recipe) => call(() => remote.start(recipe)),
    resume: (runId, keys) => call(() => remote.resume(runId, keys)),
    pause: () => call(() => remote.pause()),
    current: () => call(() => remote.current()),
    isModelCached: (model) => call(() => remote.isModelCached(model)),
    deleteCachedModel: (model) => call(() => remote.deleteCachedModel(model)),
    unload: () => call(() => remote.unload()),
    measureSpeed: (engine) => call(() => remote.measureSpeed(engine)),
    network: () => call(() => remote.network()),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      listeners.clear();
      channel?.close();
      remote[Comlink.releaseProxy]();
      if ('terminate' in worker) worker.terminate();
      else worker.close();
    },
  };
}
