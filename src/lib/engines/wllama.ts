// The GGUF engine: llama.cpp compiled to WebAssembly (wllama), on the CPU or on WebGPU, for
// browsers without web-llm's GPU support and for any GGUF model. One request at a time; the
// model's own chat template (from the GGUF) builds the prompt; typed errors.
import { CrescentError } from '../crescent/errors';
import { splitThinking } from '../crescent/thinking';
import type {
  AbortSignalLike,
  ChatEngine,
  ChatMessage,
  ChatReply,
  FinishReason,
  SamplingOptions,
} from '../crescent/types';
import type { LoadProgress } from './reports';
import { stopped } from './stopped';
import { TaskQueue } from './taskQueue';
import { describeThrown } from './thrown';

/** A chunk of wllama's streamed chat completion, as far as this adapter reads it. */
export interface WllamaChunk {
  choices: { delta: { content?: string | null }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  timings?: {
    prompt_n?: number;
    cache_n?: number;
    predicted_n?: number;
    predicted_per_second?: number;
  };
}

export interface WllamaChatRequest {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  stream: true;
  stream_options: { include_usage: true };
  abortSignal?: AbortSignal;
  temperature: number;
  top_p: number;
  max_tokens: number;
  seed?: number;
  chat_template_kwargs?: Record<string, unknown>;
}

/** The part of a loaded Wllama this adapter uses; tests pass a double. */
export interface WllamaLike {
  createChatCompletion(request: WllamaChatRequest): Promise<AsyncIterable<WllamaChunk>>;
  getChatTemplate(): string | null;
  getNumThreads(): number;
  /**
   * The backends llama.cpp put its buffers on, as its load log names them ('CPU', or a GPU
   * backend's name); empty when the log said nothing.
   */
  getBackends(): readonly string[];
  exit(): Promise<void>;
}

/** The backends named by one line of llama.cpp's load log, e.g. "CPU KV buffer size = 45 MiB". */
export function backendsInLog(line: string): string[] {
  return [...line.matchAll(/(\S+)\s+(?:KV|compute|model|output) buffer size\b/g)].map((m) => m[1]!);
}

/** Where the model runs, in words for the load message. */
export function placeOf(
  device: 'webgpu' | 'wasm',
  backends: readonly string[],
  threads: number,
): { onGpu: boolean; text: string } {
  const cpu = threads === 1 ? 'one CPU thread' : `${threads} CPU threads`;
  const gpu = backends.find((name) => !/^cpu/i.test(name));
  if (gpu !== undefined) return { onGpu: true, text: `on ${gpu}, with ${cpu}` };
  if (device === 'webgpu' && backends.length > 0) {
    return {
      onGpu: false,
      text: `on ${cpu}: llama.cpp found no WebGPU device it could use here, so nothing runs on the GPU`,
    };
  }
  return { onGpu: false, text: `on ${cpu}` };
}

/** Where a model comes from: a URL (a Hub file or anywhere else) or a file the user picked. */
export type GgufSource = { url: string } | { file: Blob; name: string };

export interface WllamaLoadOptions {
  /** The id stored with every result: a catalog id, a Hub `repo/file` or a file name. */
  model: string;
  source: GgufSource;
  device: 'webgpu' | 'wasm';
  /** Context length in tokens, shared by the prompt and the reply. */
  contextTokens?: number;
  threads?: number;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignalLike;
  /** Builds and loads the runtime; the default is the real wllama, loaded on first use. */
  open?: (options: WllamaOpenOptions) => Promise<WllamaLike>;
}

export interface WllamaOpenOptions {
  source: GgufSource;
  gpuLayers: number;
  contextTokens: number;
  threads?: number;
  onDownload: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

function finishReason(reason: string | null): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'stop' || reason === 'tool_calls') return 'stop';
  // The stream ended without saying why: the reply may be cut, so it is not called complete.
  return 'error';
}

/** Whether the model's chat template reads an `enable_thinking` switch (Qwen3 and its kin). */
export function templateHasThinkingSwitch(template: string | null): boolean {
  return template !== null && /\benable_thinking\b/.test(template);
}

/** A failure while loading: where the model comes from, or what the runtime said. */
export function loadError(error: unknown, model: string): CrescentError {
  const text = describeThrown(error);
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'download_error' || /Failed to fetch|NetworkError|HTTP|status \d{3}/i.test(text)) {
    return new CrescentError(
      {
        code: 'model-unreachable',
        message: `Could not download ${model}: ${text}`,
        action: 'Check the address and the network, or pick a .gguf file from this computer.',
        retryable: true,
      },
      { cause: error },
    );
  }
  if (/out of memory|Cannot allocate|Array buffer allocation|RangeError/i.test(text)) {
    return new CrescentError(
      {
        code: 'out-of-memory',
        message: `${model} does not fit in this browser's memory: ${text}`,
        action: 'Pick a smaller model or a smaller quantisation, or close other tabs.',
      },
      { cause: error },
    );
  }
  return new CrescentError(
    {
      code: 'unknown-model',
      message: `llama.cpp could not load ${model}: ${text}`,
      action: 'Check that the file is a GGUF model that llama.cpp supports.',
    },
    { cause: error },
  );
}

/**
 * A failure of one request. A reply the runtime cannot decode (byte tokens that are not valid
 * UTF-8 end in "Invalid typed array length") is that request's failure: the next one works.
 */
export function requestError(error: unknown, model: string): CrescentError {
  return new CrescentError(
    {
      code: 'server-error',
      message: `llama.cpp failed this request for ${model}: ${describeThrown(error)}`,
      action: 'The run goes on; the failure is kept on the record.',
      perRequest: true,
    },
    { cause: error },
  );
}

export class WllamaChatEngine implements ChatEngine {
  readonly concurrency = 1;
  /** llama.cpp serves one request at a time: two at once would interleave their tokens. */
  private readonly queue = new TaskQueue(1);
  private unloaded = false;

  private constructor(
    readonly model: string,
    private readonly runtime: WllamaLike,
    /** Whether requests carry the template's thinking switch. */
    private readonly thinkingSwitch: boolean,
  ) {}

  static async load(options: WllamaLoadOptions): Promise<WllamaChatEngine> {
    const { model, signal } = options;
    const onProgress = options.onProgress ?? (() => {});
    if (signal?.aborted) throw stopped();
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const open = options.open ?? openWllama;
    const local = 'file' in options.source;
    onProgress({
      phase: local ? 'loading' : 'fetching',
      fraction: null,
      text: local ? `Reading ${model}` : `Looking for ${model}`,
    });
    let runtime: WllamaLike;
    try {
      runtime = await open({
        source: options.source,
        gpuLayers: options.device === 'webgpu' ? 999 : 0,
        contextTokens: options.contextTokens ?? 2048,
        threads: options.threads,
        signal: controller.signal,
        onDownload: (loaded, total) => {
          const fraction = total > 0 ? loaded / total : null;
          const done = total > 0 && loaded >= total;
          onProgress({
            phase: done ? 'loading' : 'fetching',
            fraction,
            bytesLoaded: loaded,
            bytesTotal: total,
            text: done
              ? `Loading ${model}`
              : `Downloading ${model}: ${Math.round(loaded / 1e6)} of ${Math.round(total / 1e6)} MB`,
          });
        },
      });
    } catch (error) {
      if (signal?.aborted) throw stopped();
      throw loadError(error, model);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) {
      await runtime.exit().catch(() => {});
      throw stopped();
    }
    const place = placeOf(options.device, runtime.getBackends(), runtime.getNumThreads());
    onProgress({
      phase: 'ready',
      fraction: 1,
      text: `${model} is ready, ${place.text}`,
      place: place.text,
    });
    return new WllamaChatEngine(
      model,
      runtime,
      templateHasThinkingSwitch(runtime.getChatTemplate()),
    );
  }

  /** Threads llama.cpp computes with (1 without cross-origin isolation). */
  get threads(): number {
    return this.runtime.getNumThreads();
  }

  complete(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
    signal?: AbortSignalLike,
  ): Promise<ChatReply> {
    return this.queue.run(() => this.generate(messages, options, signal), signal);
  }

  async unload(): Promise<void> {
    this.unloaded = true;
    await this.queue.run(() => this.runtime.exit());
  }

  private request(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
    abortSignal: AbortSignal,
  ): WllamaChatRequest {
    return {
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      stream_options: { include_usage: true },
      abortSignal,
      temperature: options.temperature,
      top_p: options.topP,
      max_tokens: options.maxTokens,
      // llama.cpp's sampler takes a 32-bit unsigned seed.
      ...(options.seed === undefined ? {} : { seed: Math.trunc(options.seed) >>> 0 }),
      ...(this.thinkingSwitch
        ? { chat_template_kwargs: { enable_thinking: options.thinking ?? false } }
        : {}),
    };
  }

  private async generate(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
    signal?: AbortSignalLike,
  ): Promise<ChatReply> {
    if (this.unloaded) {
      throw new CrescentError({
        code: 'internal',
        message: 'The model was unloaded.',
        action: 'Load the model again.',
      });
    }
    if (signal?.aborted) throw stopped();
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let raw = '';
    let reason: string | null = null;
    let usage: WllamaChunk['usage'];
    let timings: WllamaChunk['timings'];
    try {
      const stream = await this.runtime.createChatCompletion(
        this.request(messages, options, controller.signal),
      );
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (choice !== undefined) {
          raw += choice.delta.content ?? '';
          reason = choice.finish_reason ?? reason;
        }
        usage = chunk.usage ?? usage;
        timings = chunk.timings ?? timings;
      }
    } catch (error) {
      if (controller.signal.aborted) throw stopped();
      throw requestError(error, this.model);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    // An interrupted reply is never data, whatever part of it arrived.
    if (controller.signal.aborted) throw stopped();
    const split = splitThinking(raw);
    const decode = timings?.predicted_per_second;
    // llama.cpp's timings count the same tokens where a chunk carries no usage.
    const promptTokens = usage?.prompt_tokens ?? (timings?.prompt_n ?? 0) + (timings?.cache_n ?? 0);
    return {
      text: split.text,
      ...(split.thinking === null ? {} : { thinking: split.thinking }),
      usage: {
        promptTokens,
        completionTokens: usage?.completion_tokens ?? timings?.predicted_n ?? 0,
        ...(decode !== undefined && Number.isFinite(decode) && decode > 0
          ? { decodeTokensPerSecond: decode }
          : {}),
      },
      finishReason: finishReason(reason),
    };
  }
}

/** The real runtime: wllama's module and its WebAssembly, fetched from the app itself. */
async function openWllama(options: WllamaOpenOptions): Promise<WllamaLike> {
  const { openRuntime } = await import('./wllamaRuntime');
  return openRuntime(options);
}
