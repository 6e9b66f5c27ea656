// The default ChatEngine: a web-llm MLCEngine on the visitor's GPU. One request at a time
// (concurrent ones corrupt each other), thinking split off Qwen3-family replies, typed errors.
import {
  MLCEngine,
  deleteModelAllInfoInCache,
  hasModelInCache,
  prebuiltAppConfig,
  type AppConfig,
  type ChatCompletionChunk,
  type ChatCompletionMessageParam,
  type ChatCompletionRequestStreaming,
  type CompletionUsage,
  type MLCEngineConfig,
} from '@mlc-ai/web-llm';
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
import type { GpuReport, LoadProgress } from './reports';
import { isThinkingModel } from './catalog';
import { preflight } from './preflight';
import { stopped } from './stopped';
import { TaskQueue } from './taskQueue';
import { needsShaderF16, resolveAppConfig, type ModelSource } from './webllmConfig';
import { toCrescentError } from './webllmErrors';
import { toLoadProgress } from './webllmProgress';
import type { SetTimer } from './timer';
import { DEFAULT_STALL_TIMEOUT_MS, StallWatchdog } from './webllmWatchdog';

/** The part of MLCEngine this adapter uses; tests pass a double. */
export interface MLCEngineLike {
  reload(model: string): Promise<void>;
  chatCompletion(
    request: ChatCompletionRequestStreaming,
  ): Promise<AsyncIterable<ChatCompletionChunk>>;
  interruptGenerate(): void | Promise<void>;
  unload(): Promise<void>;
}

export interface WebLLMLoadOptions extends ModelSource {
  model: string;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignalLike;
  /** A report already taken; otherwise the preflight runs here, before any download. */
  preflightReport?: GpuReport;
  createEngine?: (config: MLCEngineConfig) => MLCEngineLike;
  /** Give up on a download that reports no progress for this long (default 60 s). */
  stallTimeoutMs?: number;
  setTimer?: SetTimer;
}

function toMessageParam(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'assistant':
      return { role: 'assistant', content: message.content };
  }
}

function finishReason(reason: string | null): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'abort') return 'abort';
  return 'stop';
}

export class WebLLMChatEngine implements ChatEngine {
  readonly concurrency = 1;
  /** web-llm serves one request at a time: two at once would interleave their tokens. */
  private readonly queue = new TaskQueue(1);
  private unloaded = false;

  constructor(
    readonly model: string,
    private readonly engine: MLCEngineLike,
    /** Whether to send enable_thinking: web-llm prefills an empty think block for any model told false. */
    private readonly thinking: boolean = isThinkingModel(model),
  ) {}

  static async load(options: WebLLMLoadOptions): Promise<WebLLMChatEngine> {
    const { model, signal } = options;
    const onProgress = options.onProgress ?? (() => {});
    if (signal?.aborted) throw stopped();
    onProgress({ phase: 'preflight', fraction: null, text: 'Checking the GPU' });
    // web-llm fetches the model config before it looks for WebGPU: look first.
    const report = options.preflightReport ?? (await preflight());
    if (report.problem !== undefined) throw new CrescentError(report.problem);
    const appConfig = resolveAppConfig(model, options);
    if (needsShaderF16(model) && !report.shaderF16) {
      throw new CrescentError({
        code: 'unknown-model',
        message: `${model} needs 16-bit float shaders, which this GPU does not offer.`,
        action: `Pick ${model.replace(/q(\d)f16/, 'q$1f32')} instead.`,
      });
    }

    const fromCache = await WebLLMChatEngine.isCached(model, appConfig);
    if (signal?.aborted) throw stopped();
    let downloading = false;
    const watchdog = new StallWatchdog(
      options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
      options.setTimer,
    );
    const create = options.createEngine ?? ((config: MLCEngineConfig) => new MLCEngine(config));
    const engine = create({
      appConfig,
      initProgressCallback: (initReport) => {
        const progress = toLoadProgress(initReport, fromCache);
        // Only the download waits on the network. Loading into the GPU and compiling shaders run
        // locally and may go quiet for long on a slow GPU, so the watch ends with the download.
        if (progress.phase === 'fetching') {
          downloading = true;
          watchdog.arm();
        } else {
          watchdog.stop();
        }
        onProgress(progress);
      },
    });
    // unload() aborts web-llm's downloads in flight.
    const onAbort = (): void => void engine.unload().catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    // Also watches the config, model library and tokenizer fetches, which report nothing.
    watchdog.arm();
    const reloading = engine.reload(model);
    try {
      // Raced, not awaited alone: web-llm's tokenizer fetch ignores unload(), so a stalled
      // reload may never settle.
      await Promise.race([reloading, watchdog.stalled]);
    } catch (error) {
      // A stalled reload goes on in the background: whatever it still loads is freed as well.
      if (watchdog.hasFired) void reloading.then(onAbort, () => {});
      // Frees whatever a half-done load holds on the GPU before anything else is tried.
      await engine.unload().catch(() => {});
      if (signal?.aborted) throw stopped();
      throw toCrescentError(error, { model, downloading });
    } finally {
      watchdog.stop();
      signal?.removeEventListener('abort', onAbort);
    }
    // An aborted reload resolves quietly in web-llm.
    if (signal?.aborted) throw stopped();
    return new WebLLMChatEngine(model, engine);
  }

  /** Whether the model's weights are already in the browser's cache. */
  static async isCached(model: string, appConfig: AppConfig = prebuiltAppConfig): Promise<boolean> {
    try {
      return await hasModelInCache(model, appConfig);
    } catch {
      return false; // No Cache API here (insecure context, Node) or an unknown model: nothing cached.
    }
  }

  static async deleteCached(
    model: string,
    appConfig: AppConfig = prebuiltAppConfig,
  ): Promise<void> {
    try {
      await deleteModelAllInfoInCache(model, appConfig);
    } catch (error) {
      throw toCrescentError(error, { model });
    }
  }

  complete(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
    signal?: AbortSignalLike,
  ): Promise<ChatReply> {
    return this.queue.run(() => this.generate(messages, options, signal), signal);
  }

  /** Stops any generation, waits for the queue to drain, and frees the GPU. */
  async unload(): Promise<void> {
    this.unloaded = true;
    await this.engine.interruptGenerate();
    await this.queue.run(() => this.engine.unload());
  }

  private request(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
  ): ChatCompletionRequestStreaming {
    return {
      messages: messages.map(toMessageParam),
      stream: true,
      stream_options: { include_usage: true },
      temperature: options.temperature,
      top_p: options.topP,
      max_tokens: options.maxTokens,
      // web-llm rejects a seed that is not an integer.
      ...(options.seed === undefined ? {} : { seed: Math.trunc(options.seed) }),
      ...(this.thinking ? { extra_body: { enable_thinking: options.thinking ?? false } } : {}),
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
    let interrupted = false;
    const interrupt = (): void => {
      interrupted = true;
      void this.engine.interruptGenerate();
    };
    signal?.addEventListener('abort', interrupt, { once: true });
    let raw = '';
    let reason: string | null = null;
    let usage: CompletionUsage | undefined;
    try {
      const stream = await this.engine.chatCompletion(this.request(messages, options));
      for await (const chunk of stream) {
        // web-llm clears its interrupt flag when generation starts: repeat it until it sticks.
        if (interrupted) void this.engine.interruptGenerate();
        const choice = chunk.choices[0];
        if (choice !== undefined) {
          raw += choice.delta.content ?? '';
          reason = choice.finish_reason ?? reason;
        }
        usage = chunk.usage ?? usage;
      }
    } catch (error) {
      if (interrupted) throw stopped();
      throw toCrescentError(error, { model: this.model });
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
    if (interrupted) throw stopped();
    return this.reply(raw, reason, usage);
  }

  private reply(raw: string, reason: string | null, usage: CompletionUsage | undefined): ChatReply {
    const split = splitThinking(raw);
    const completionTokens = usage?.completion_tokens ?? 0;
    const thinkingChars = split.thinking?.length ?? 0;
    const shownChars = thinkingChars + split.text.length;
    // web-llm does not count thinking tokens apart: share them out by characters.
    const thinkingTokens =
      shownChars > 0 ? Math.round((completionTokens * thinkingChars) / shownChars) : 0;
    const decode = usage?.extra?.decode_tokens_per_s;
    return {
      text: split.text,
      ...(split.thinking === null ? {} : { thinking: split.thinking }),
      usage: {
        promptTokens: usage?.prompt_tokens ?? 0,
        completionTokens,
        ...(this.thinking ? { thinkingTokens } : {}),
        ...(decode !== undefined && Number.isFinite(decode)
          ? { decodeTokensPerSecond: decode }
          : {}),
      },
      finishReason: finishReason(reason),
    };
  }
}
