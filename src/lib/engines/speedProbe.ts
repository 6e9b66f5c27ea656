// Times a loaded chat engine on a fixed prompt: prefill from a one-token reply (time to first
// token), decode from a longer reply's extra tokens over its extra time, or the engine's own figure.
import { CrescentError } from '../crescent/errors';
import type { AbortSignalLike, ChatEngine, Clock, SamplingOptions } from '../crescent/types';

export interface ModelSpeed {
  model: string;
  /** Prompt tokens of the timed requests, as the engine counted them. */
  promptTokens: number;
  /** Tokens of the longer reply. */
  generatedTokens: number;
  /** Seconds to the first token: the whole one-token request. */
  firstTokenSeconds: number;
  /** Seconds of the longer request. */
  replySeconds: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  /** 'engine': the engine's own timing; 'timed': tokens after the first over the time after it. */
  decodeSource: 'engine' | 'timed';
}

/** Generated tokens of the longer reply: enough for a steady decode, short enough on a CPU. */
export const PROBE_MAX_TOKENS = 64;

/**
 * The probe's prompt: a list to copy, so every model writes a long reply. `variant` changes the
 * first words, so no request finds the previous one's prompt in the engine's prefix cache.
 */
export function probePrompt(variant: number): string {
  const numbers = Array.from({ length: 200 }, (_, i) => String(i + 1)).join(', ');
  return `List ${variant}. Here are the whole numbers from 1 to 200: ${numbers}. Copy the list, one number per line, and write nothing else.`;
}

const SAMPLING: Omit<SamplingOptions, 'maxTokens'> = {
  temperature: 0,
  topP: 1,
  seed: 1,
  thinking: false,
};

export async function probeSpeed(
  engine: ChatEngine,
  clock: Clock,
  signal?: AbortSignalLike,
): Promise<ModelSpeed> {
  const timed = async (variant: number, maxTokens: number) => {
    const started = clock.now();
    const reply = await engine.complete(
      [{ role: 'user', content: probePrompt(variant) }],
      { ...SAMPLING, maxTokens },
      signal,
    );
    return { reply, seconds: (clock.now() - started) / 1000 };
  };
  // The first request pays for shader compilation and warm caches; it is not counted.
  await timed(0, 1);
  const first = await timed(1, 1);
  const long = await timed(2, PROBE_MAX_TOKENS);
  const generated = long.reply.usage.completionTokens;
  const reported = long.reply.usage.decodeTokensPerSecond;
  const extraSeconds = long.seconds - first.seconds;
  if (reported === undefined && (generated < 2 || !(extraSeconds > 0))) {
    throw new CrescentError({
      code: 'internal',
      message: `The model wrote ${generated} tokens, too few to time its decoding.`,
    });
  }
  if (!(first.seconds > 0)) {
    throw new CrescentError({ code: 'internal', message: 'The first token came in no time.' });
  }
  return {
    model: engine.model,
    promptTokens: first.reply.usage.promptTokens,
    generatedTokens: generated,
    firstTokenSeconds: first.seconds,
    replySeconds: long.seconds,
    prefillTokensPerSecond: first.reply.usage.promptTokens / first.seconds,
    decodeTokensPerSecond: reported ?? (generated - 1) / extraSeconds,
    decodeSource: reported === undefined ? 'timed' : 'engine',
  };
}
