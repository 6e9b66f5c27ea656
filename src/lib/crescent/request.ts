// One request to the chat engine on behalf of a run. A failure of that request alone
// (the engine says so) becomes an empty 'error' reply that the run records and moves past;
// anything else (abort, lost device, full disk) stops the run.
import { CrescentError } from './errors';
import type { AbortSignalLike, ChatEngine, ChatReply, SamplingOptions } from './types';

export async function askOnce(
  engine: ChatEngine,
  prompt: string,
  options: SamplingOptions,
  signal?: AbortSignalLike,
): Promise<ChatReply> {
  try {
    // The paper sends each prompt as the only user message, with no system prompt.
    return await engine.complete([{ role: 'user', content: prompt }], options, signal);
  } catch (error) {
    if (error instanceof CrescentError && error.perRequest) {
      return { text: '', usage: { promptTokens: 0, completionTokens: 0 }, finishReason: 'error' };
    }
    throw error;
  }
}
