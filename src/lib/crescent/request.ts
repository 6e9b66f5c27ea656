// One request to the chat engine on behalf of a run. A failure of that request alone (the engine
// says so) becomes an empty 'error' reply that keeps the failure, so the run records it and moves
// past; anything else (abort, lost device, full disk) stops the run. A reply that arrives after
// the run was told to stop is dropped, so a pause never stores half a reply.
import { CrescentError } from './errors';
import type { FailureStreak } from './failureStreak';
import type {
  AbortSignalLike,
  ChatEngine,
  ChatReply,
  Clock,
  RequestFailure,
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
  /** Stops the run when requests of one kind keep failing. */
  failures: FailureStreak;
  /** Called after each stored record, to report progress. */
  onRecord: () => void;
  /** Called with each reply's usage, to report the engine's own decode speed. */
  onUsage?: (usage: TokenUsage) => void;
}

/** A reply, or the failure of its request. */
export type RequestResult = ChatReply & { failure?: RequestFailure };

export async function askOnce(
  deps: StepDeps,
  prompt: string,
  options: SamplingOptions,
): Promise<RequestResult> {
  let result: RequestResult;
  try {
    // The paper sends each prompt as the only user message, with no system prompt.
    result = await deps.engine.complete([{ role: 'user', content: prompt }], options, deps.signal);
    deps.onUsage?.(result.usage);
  } catch (error) {
    if (!(error instanceof CrescentError && error.perRequest) || deps.signal?.aborted) throw error;
    const failure: RequestFailure = { code: error.code, message: error.message };
    if (error.action !== undefined) failure.action = error.action;
    result = {
      text: '',
      usage: { promptTokens: 0, completionTokens: 0 },
      finishReason: 'error',
      failure,
    };
  }
  if (deps.signal?.aborted) throw stopped(deps.signal);
  return result;
}

function stopped(signal: AbortSignalLike): unknown {
  return signal.reason instanceof Error
    ? signal.reason
    : new CrescentError({ code: 'aborted', message: 'Stopped.' });
}
