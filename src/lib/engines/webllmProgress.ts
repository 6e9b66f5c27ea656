// Turns web-llm's init reports ({progress, timeElapsed, text}) into the app's LoadProgress.
// Bytes and phases exist only inside web-llm's text, e.g.
// "Fetching param cache[3/20]: 120MB fetched. 12% completed, 30 secs elapsed. It can take a while…".
import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { LoadProgress } from './reports';

const MiB = 1024 * 1024;

const FETCHING = /^Fetching param cache\[(\d+)\/(\d+)\]:\s*(\d+)\s*MB fetched/;
const FROM_CACHE = /^Loading model from cache\[(\d+)\/(\d+)\]:\s*(\d+)\s*MB loaded/;
const SHADERS = /^Loading GPU shader modules\[(\d+)\/(\d+)\]/;
const ELAPSED = /(\d+(?:\.\d+)?)\s*secs? elapsed/;

function clampFraction(value: number): number | null {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : null;
}

function percent(fraction: number | null): string {
  return fraction === null ? '' : ` (${Math.floor(fraction * 100)}%)`;
}

/** Seconds left at the rate seen so far; null until there is a rate to go by. */
export function estimateEta(fraction: number | null, elapsedSeconds: number): number | null {
  if (fraction === null || fraction <= 0 || elapsedSeconds <= 0) return null;
  if (fraction >= 1) return 0;
  return Math.round((elapsedSeconds * (1 - fraction)) / fraction);
}

export function toLoadProgress(report: InitProgressReport, fromCache?: boolean): LoadProgress {
  const text = report.text;
  const fraction = clampFraction(report.progress);
  const elapsedMatch = ELAPSED.exec(text);
  const elapsed = elapsedMatch?.[1] !== undefined ? Number(elapsedMatch[1]) : report.timeElapsed;
  const base = fromCache === undefined ? {} : { fromCache };

  const fetching = FETCHING.exec(text);
  if (fetching?.[3] !== undefined) {
    const bytesLoaded = Number(fetching[3]) * MiB;
    // web-llm reports the share of all shard bytes, so the total follows from the two.
    const bytesTotal =
      fraction !== null && fraction > 0 ? Math.round(bytesLoaded / fraction) : undefined;
    const totalText = bytesTotal === undefined ? '' : ` of ${Math.round(bytesTotal / MiB)} MB`;
    return {
      ...base,
      phase: 'fetching',
      fraction,
      text: `Downloading model: ${fetching[3]} MB${totalText}${percent(fraction)}`,
      bytesLoaded,
      bytesTotal,
      etaSeconds: estimateEta(fraction, elapsed),
    };
  }
  const cached = FROM_CACHE.exec(text);
  if (cached?.[3] !== undefined) {
    return {
      ...base,
      phase: 'loading',
      fraction,
      text: `Loading model into the GPU${percent(fraction)}`,
      bytesLoaded: Number(cached[3]) * MiB,
      etaSeconds: estimateEta(fraction, elapsed),
    };
  }
  if (SHADERS.test(text)) {
    return {
      ...base,
      phase: 'loading',
      fraction,
      text: `Compiling GPU shaders${percent(fraction)}`,
    };
  }
  if (text.startsWith('Start to fetch params')) {
    return { ...base, phase: 'fetching', fraction: 0, text: 'Starting the model download' };
  }
  if (text.startsWith('Finish loading')) {
    return { ...base, phase: 'ready', fraction: 1, text: 'Model ready' };
  }
  return { ...base, phase: 'loading', fraction, text };
}
