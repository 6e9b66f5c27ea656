// A chat engine double with a known pace: each reply takes `prefillMs` per prompt token and
// `decodeMs` per generated token, so a speed measurement has exact figures to find.
import type { ChatEngine, ChatMessage, ChatReply, SamplingOptions } from '../../crescent/types';

export interface PacedEngineOptions {
  prefillMs: number;
  decodeMs: number;
  /** Tokens a reply has when the limit allows (default 48). */
  replyTokens?: number;
  /** How time passes: a timer in a page, a manual clock in a unit test. */
  wait?: (ms: number) => Promise<void>;
}

export class PacedChatEngine implements ChatEngine {
  readonly model = 'paced-test-model';
  readonly concurrency = 1;
  readonly #opts: PacedEngineOptions;

  constructor(options: PacedEngineOptions) {
    this.#opts = options;
  }

  /** Four characters a token, as the scripted engine counts. */
  static tokens(text: string): number {
    return Math.ceil(text.length / 4);
  }

  async complete(messages: readonly ChatMessage[], options: SamplingOptions): Promise<ChatReply> {
    const promptTokens = messages.reduce((sum, m) => sum + PacedChatEngine.tokens(m.content), 0);
    const completionTokens = Math.min(options.maxTokens, this.#opts.replyTokens ?? 48);
    const wait =
      this.#opts.wait ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
    await wait(promptTokens * this.#opts.prefillMs + completionTokens * this.#opts.decodeMs);
    return {
      text: Array.from({ length: completionTokens }, (_, i) => String(i + 1)).join('\n'),
      usage: { promptTokens, completionTokens },
      finishReason: completionTokens === options.maxTokens ? 'length' : 'stop',
    };
  }
}
