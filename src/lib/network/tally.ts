// What this page has contacted, by origin: counted from the browser's own resource timing entries
// (of the page and of its workers), never from the app's own idea of what it fetched.

/** The parts of a PerformanceResourceTiming entry the log reads. */
export interface ResourceEntry {
  name: string;
  transferSize?: number;
  encodedBodySize?: number;
}

export interface OriginTally {
  origin: string;
  requests: number;
  /** Bytes over the network as the browser reports them (headers and body). */
  bytes: number;
  /**
   * Requests whose size the browser does not share: cross-origin responses without a
   * Timing-Allow-Origin header report 0, as do responses served from the HTTP cache.
   */
  unsized: number;
}

/** A request or script the content security policy refused. */
export interface PolicyRefusal {
  directive: string;
  /** What was refused: an address, or 'inline' / 'eval' as the browser names them. */
  blocked: string;
}

/** What one page or worker has contacted, and what its content security policy refused. */
export interface NetworkRecord {
  origins: OriginTally[];
  refusals: PolicyRefusal[];
}

/** The origin of a network request, or null for what never touches the network (blob:, data:). */
export function requestOrigin(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return null;
  return parsed.origin;
}

/** The tally's row for an origin, made empty when there is none yet. */
function rowOf(tally: Map<string, OriginTally>, origin: string): OriginTally {
  let row = tally.get(origin);
  if (!row) {
    row = { origin, requests: 0, bytes: 0, unsized: 0 };
    tally.set(origin, row);
  }
  return row;
}

/** Adds entries to the tally, in place. */
export function addEntries(
  tally: Map<string, OriginTally>,
  entries: Iterable<ResourceEntry>,
): void {
  for (const entry of entries) {
    const origin = requestOrigin(entry.name);
    if (!origin) continue;
    const row = rowOf(tally, origin);
    row.requests++;
    const size = (entry.transferSize ?? 0) || (entry.encodedBodySize ?? 0);
    if (size > 0) row.bytes += size;
    else row.unsized++;
  }
}

/** Several tallies (the page's, each worker's) as one, most requests first. */
export function mergeTallies(...tallies: readonly (readonly OriginTally[])[]): OriginTally[] {
  const merged = new Map<string, OriginTally>();
  for (const rows of tallies) {
    for (const row of rows) {
      const into = rowOf(merged, row.origin);
      into.requests += row.requests;
      into.bytes += row.bytes;
      into.unsized += row.unsized;
    }
  }
  return [...merged.values()].sort(
    (a, b) => b.requests - a.requests || (a.origin < b.origin ? -1 : 1),
  );
}

/** Records of several scopes (a worker and its fetch relay) as one; null ones are left out. */
export function mergeRecords(...records: (NetworkRecord | null)[]): NetworkRecord {
  const present = records.filter((record): record is NetworkRecord => record !== null);
  const refusals = new Map<string, PolicyRefusal>();
  for (const refusal of present.flatMap((record) => record.refusals)) {
    refusals.set(`${refusal.directive} ${refusal.blocked}`, refusal);
  }
  return {
    origins: mergeTallies(...present.map((record) => record.origins)),
    refusals: [...refusals.values()],
  };
}

export type OriginKind = 'app' | 'endpoint' | 'model-host' | 'benchmark' | 'unexpected';

export interface OriginContext {
  /** This page's own origin. */
  app: string;
  /** Base URLs of the chat and embedding endpoints set in the form or in stored runs. */
  endpoints: readonly string[];
  /** Addresses of benchmarks set for decontamination. */
  benchmarks: readonly string[];
}

/**
 * Hosts the in-browser models come from: web-llm's weights (Hugging Face) and model libraries
 * (GitHub's raw files), and transformers.js's embedder (Hugging Face, whose files redirect to its
 * storage hosts).
 */
const MODEL_HOSTS: readonly { suffix: string; why: string }[] = [
  { suffix: 'huggingface.co', why: 'model weights and embedder files (Hugging Face)' },
  { suffix: 'hf.co', why: 'model files, from Hugging Face storage' },
  { suffix: 'xethub.hf.co', why: 'model files, from Hugging Face storage' },
  { suffix: 'raw.githubusercontent.com', why: "web-llm's compiled model libraries (GitHub)" },
];

function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return '';
  }
}

/** Why the page contacted this origin, judged against what the user has set up. */
export function explainOrigin(
  origin: string,
  context: OriginContext,
): { kind: OriginKind; why: string } {
  if (origin === context.app) return { kind: 'app', why: "this app's own files" };
  const same = (url: string) => requestOrigin(url) === origin;
  if (context.endpoints.some(same)) {
    return { kind: 'endpoint', why: 'the OpenAI-compatible endpoint you set' };
  }
  if (context.benchmarks.some(same)) {
    return { kind: 'benchmark', why: 'a benchmark file for decontamination, downloaded once' };
  }
  const host = hostOf(origin);
  const model = MODEL_HOSTS.find((h) => host === h.suffix || host.endsWith(`.${h.suffix}`));
  if (model && origin.startsWith('https:')) return { kind: 'model-host', why: model.why };
  return { kind: 'unexpected', why: 'nothing this app sets up explains it' };
}

/** Loopback and this-machine hosts: a server there is on the visitor's own computer. */
export function isLoopback(url: string): boolean {
  const host = hostOf(requestOrigin(url) ?? '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]'
  );
}
