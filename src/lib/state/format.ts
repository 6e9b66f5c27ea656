// How numbers reach the screen: bytes, durations, rates and shares, in one consistent style.

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 -> "1.5 KB"; decimal steps of 1024, one decimal below 10 of a unit. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Megabytes as the model catalog gives them: 1300 -> "1.3 GB". */
export function formatMegabytes(mb: number | null | undefined): string {
  if (mb === null || mb === undefined) return '–';
  return formatBytes(mb * 1024 * 1024);
}

/** Seconds as "45 s", "3 min 20 s", "2 h 05 min"; null or negative -> "–". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0)
    return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = s % 60;
    return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h} h ${String(m).padStart(2, '0')} min`;
}

/** Time left, or "–" while unknown. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  return seconds < 1 ? 'almost done' : `about ${formatDuration(seconds)}`;
}

/** 12.345 -> "12.3 tok/s". */
export function formatRate(perSecond: number | null | undefined, unit = 'tok/s'): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '–';
  const digits = perSecond >= 100 ? 0 : 1;
  return `${perSecond.toFixed(digits)} ${unit}`;
}

/** 0.6667 -> "67%"; null -> "–". */
export function formatPercent(fraction: number | null | undefined, digits = 0): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)}%`;
}

// One formatter for every count: `toLocaleString('en-US')` builds one per call, and a run's
// screen formats a dozen counts several times a second.
const COUNT = new Intl.NumberFormat('en-US');

/** 12345 -> "12,345". */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** A timestamp as "2026-11-22 14:05" in the visitor's time zone. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Votes as "42 ×2, 41 ×1" with the winner first. */
export function formatVotes(votes: Record<string, number>): string {
  const entries = Object.entries(votes).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return 'no readable answer';
  return entries.map(([answer, n]) => `${answer} ×${n}`).join(', ');
}

/** 1 -> "1 line", 3 -> "3 lines"; irregular plurals are passed in. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A cosine similarity as the threshold is written: 0.9341 -> "0.934". */
export function formatSimilarity(cosine: number | null | undefined): string {
  if (cosine === null || cosine === undefined || !Number.isFinite(cosine)) return '–';
  return cosine.toFixed(3);
}
