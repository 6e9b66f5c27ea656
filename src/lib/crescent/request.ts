// One request to the chat engine on behalf of a run. A failure of that request alone
// (the engine says so) becomes an empty 'error' reply that the run records and moves past;
// anything else (abort, lost device, full disk) stops the run.
import { CrescentError } from './errors';
import type {
  AbortSignalLike,
  ChatEngine,
  ChatReply,
  Clock,
  RunStore,
  SamplingOptions,
  TokenUsage,
} from './types';

/** What one step of a run needs from the world. */
export interface StepDeps {
  engine: ChatEngine;
  store: RunStore;
  clock: Clock;
  signal?: AbortSignalLike;
  /** Called after each stored record, to report progress. */
  onRecord: () => void;
  /** Called with each reply's usage, to report the engine's own decode speed. */
  onUsage?: (usage: TokenUsage) => void;
}

export async function askOnce(
  deps: StepDeps,
  prompt: string,
  options: SamplingOptions,
): Promise<ChatReply> {
  try {
    // The paper sends each prompt as the only user message, with no system prompt.
    const reply = await deps.engine.complete(
      [{ role: 'user', content: prompt }],
      options,
      deps.signal,
    );
    deps.onUsage?.(reply.usage);
    return reply;
  } catch (error) {
    if (error instanceof CrescentError && error.perRequest) {
      return { text: '', usage: { promptTokens: 0, completionTokens: 0 }, finishReason: 'error' };
    }
    throw error;
  }
}
