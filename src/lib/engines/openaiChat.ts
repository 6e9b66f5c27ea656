// ChatEngine for any server that speaks OpenAI's /chat/completions (Ollama, llama.cpp's
// llama-server, vLLM): streamed replies, several requests at once over one server or several
// replicas, retries, thinking split off.
import { CrescentError } from '../crescent/errors';
import { splitThinking } from '../crescent/thinking';
import type {
  AbortSignalLike,
  ChatEngine,
  ChatMessage,
  ChatReply,
  FinishReason,
  SamplingOptions,
  TokenUsage,
} from '../crescent/types';
import type { ThinkingSwitch } from '../recipe/types';
import { refusalOf } from './openaiErrors';
import { callEndpoint, StreamCut, type EndpointOptions } from './openaiHttp';
import { ReplicaPool } from './openaiReplicas';
import { readSse } from './openaiSse';
import {
  isBodyRefusal,
  switchFields,
  switchRefused,
  thinkingSwitchFor,
  type SwitchStyle,
} from './openaiThinking';
import { malformedReply, readChunk, textOf, type WireChunk, type WireUsage } from './openaiWire';

export interface OpenAIChatOptions extends EndpointOptions {
  model: string;
  /** More base URLs serving the same model; requests spread over them and `baseUrl`. */
  replicas?: readonly string[];
  /** Requests in flight at once on each replica; the server batches them. */
  concurrency?: number;
  /** How to ask for no thinking (default 'auto': see thinkingSwitchFor). */
  thinkingSwitch?: ThinkingSwitch;
  /** Milliseconds, for decode speed; injected by tests. */
  now?: () => number;
  /** Milliseconds, for how long a failing replica is set aside; injected by tests. */
  clock?: () => number;
}

/** What a reply's stream has delivered so far. */
interface Collected {
  content: string;
  reasoning: string;
  finish: string | null;
  usage: WireUsage | null;
  firstAt: number | null;
  lastAt: number | null;
}

const CHARS_PER_TOKEN = 4;

function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function finishReasonOf(wire: string | null): FinishReason {
  if (wire === 'length') return 'length';
  if (wire === 'content_filter') return 'error';
  return 'stop';
}

export class OpenAIChatEngine implements ChatEngine {
  readonly model: string;
  readonly concurrency: number;
  private readonly options: OpenAIChatOptions;
  private readonly replicas: ReplicaPool;
  private readonly now: () => number;
  private readonly switchSetting: ThinkingSwitch;
  /** The switch in use; 'auto' turns it 'off' once the server has refused it. */
  private switchStyle: SwitchStyle;

  constructor(options: OpenAIChatOptions) {
    this.options = options;
    this.model = options.model;
    this.replicas = new ReplicaPool([options.baseUrl, ...(options.replicas ?? [])], {
      perReplica: options.concurrency ?? 4,
      clock: options.clock,
    });
    this.concurrency = this.replicas.concurrency;
    this.now = options.now ?? (() => performance.now());
    this.switchSetting = options.thinkingSwitch ?? 'auto';
    this.switchStyle =
      this.switchSetting === 'auto' ? thinkingSwitchFor(options.baseUrl) : this.switchSetting;
  }

  async complete(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
    signal?: AbortSignalLike,
  ): Promise<ChatReply> {
    const body: Record<string, unknown> = {
      model: this.model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: options.temperature,
      top_p: options.topP,
      max_tokens: options.maxTokens,
    };
    if (options.seed !== undefined) body.seed = options.seed;
    const style = this.switchStyle;
    const extra = options.thinking === false ? switchFields(style) : {};

    return this.replicas.run(async (baseUrl) => {
      try {
        return await this.send(baseUrl, { ...body, ...extra }, messages, signal);
      } catch (error) {
        const field = Object.keys(extra)[0];
        const refusal = refusalOf(error);
        if (field === undefined || !(error instanceof CrescentError)) throw error;
        if (!refusal || !isBodyRefusal(refusal)) throw error;
        if (this.switchSetting !== 'auto') throw switchRefused(field, style, refusal, error);
        // Guessed, not chosen: ask again without it, and keep it off if that is what worked.
        const reply = await this.send(baseUrl, body, messages, signal);
        this.switchStyle = 'off';
        return reply;
      }
    }, signal);
  }

  private async send(
    baseUrl: string,
    body: Record<string, unknown>,
    messages: readonly ChatMessage[],
    signal: AbortSignalLike | undefined,
  ): Promise<ChatReply> {
    const collected = await callEndpoint(
      { ...this.options, baseUrl },
      { path: 'chat/completions', method: 'POST', body },
      (response, alive) => this.collect(response, alive),
      signal,
    );
    return this.reply(collected, messages);
  }

  private async collect(response: Response, alive: () => void): Promise<Collected> {
    const got: Collected = {
      content: '',
      reasoning: '',
      finish: null,
      usage: null,
      firstAt: null,
      lastAt: null,
    };
    const type = response.headers.get('Content-Type') ?? '';
    if (!response.body || type.includes('application/json')) {
      // A server that ignores `stream` answers with one JSON object, which must hold a choice.
      const whole = readChunk(await response.text());
      if (!whole.choices || whole.choices.length === 0) throw malformedReply('it held no choices');
      this.absorb(whole, got);
      return got;
    }
    let done = false;
    for await (const data of readSse(response.body, alive)) {
      if (data.trim() === '[DONE]') {
        done = true;
        break;
      }
      this.absorb(readChunk(data), got);
    }
    // A reply is complete only when the server says why it ended. llama-cpp-python's server, given
    // a request while it streams another, ends the one it drops with [DONE] and no reason.
    if (got.finish === null) throw new StreamCut(done);
    return got;
  }

  private absorb(chunk: WireChunk, got: Collected): void {
    if (chunk.usage) got.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = choice.delta ?? choice.message;
    const content = textOf(delta?.content);
    const reasoning = textOf(delta?.reasoning_content ?? delta?.reasoning);
    if (content || reasoning) {
      const at = this.now();
      got.firstAt ??= at;
      got.lastAt = at;
    }
    got.content += content;
    got.reasoning += reasoning;
    if (choice.finish_reason) got.finish = choice.finish_reason;
  }

  private reply(got: Collected, messages: readonly ChatMessage[]): ChatReply {
    const split = splitThinking(got.content);
    const thoughts = [got.reasoning.trim(), split.thinking ?? ''].filter((t) => t.length > 0);
    const thinking = thoughts.length > 0 ? thoughts.join('\n\n') : undefined;

    const promptChars = messages.reduce((sum, m) => sum + m.content.length, 0);
    const promptTokens = got.usage?.prompt_tokens ?? Math.ceil(promptChars / CHARS_PER_TOKEN);
    const completionTokens =
      got.usage?.completion_tokens ?? estimateTokens(got.reasoning + got.content);
    const usage: TokenUsage = { promptTokens, completionTokens };

    const reported = got.usage?.completion_tokens_details?.reasoning_tokens;
    if (reported !== undefined) usage.thinkingTokens = reported;
    else if (thinking !== undefined) {
      // Share the completion count by characters when the server does not split it.
      const thinkingChars = got.reasoning.length + (split.thinking?.length ?? 0);
      const allChars = Math.max(1, got.reasoning.length + got.content.length);
      usage.thinkingTokens = Math.round((completionTokens * thinkingChars) / allChars);
    }

    if (got.firstAt !== null && got.lastAt !== null && got.lastAt > got.firstAt) {
      // The first token's time is prefill; decode speed counts the tokens after it.
      usage.decodeTokensPerSecond = (completionTokens - 1) / ((got.lastAt - got.firstAt) / 1000);
    }
    return { text: split.text, thinking, usage, finishReason: finishReasonOf(got.finish) };
  }
}

export interface ListModelsOptions extends Pick<
  EndpointOptions,
  'baseUrl' | 'apiKey' | 'fetch' | 'pageOrigin' | 'timeoutMs'
> {
  signal?: AbortSignalLike;
}

/** Model ids the server offers (GET /models); also a quick connection test, so no retries. */
export async function listModels(options: ListModelsOptions): Promise<string[]> {
  return callEndpoint(
    { ...options, maxRetries: 0, timeoutMs: options.timeoutMs ?? 15_000 },
    { path: 'models', method: 'GET' },
    async (response) => {
      const parsed = (await response.json()) as { data?: { id?: unknown }[] };
      return (parsed.data ?? [])
        .map((entry) => entry.id)
        .filter((id): id is string => typeof id === 'string');
    },
    options.signal,
  );
}
