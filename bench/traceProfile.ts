// Where a page's threads spend their time: a Chromium trace with the V8 sampling profiler on for a
// few seconds, summarised per thread (the page's main thread, each worker) as self time by
// function, mapped back to the sources through the build's source maps when it has them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import type { BrowserContext, Page } from 'playwright-core';
import type { BenchRow } from '../scripts/bench';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName?: string; url?: string; lineNumber: number; columnNumber: number };
}

export interface ThreadProfile {
  thread: string;
  /** Milliseconds sampled, idle included. */
  sampledMs: number;
  /** Self milliseconds by function, most first. */
  top: [string, number][];
}

function sourceMaps(dist: string): Map<string, TraceMap> {
  const maps = new Map<string, TraceMap>();
  const assets = join(dist, 'assets');
  for (const file of readdirSync(assets)) {
    if (file.endsWith('.js.map')) {
      maps.set(file.slice(0, -4), new TraceMap(readFileSync(join(assets, file), 'utf8')));
    }
  }
  return maps;
}

/** Samples every thread of the page for `ms` and sums self time per function. */
export async function profileThreads(
  context: BrowserContext,
  page: Page,
  ms: number,
  dist = 'dist',
): Promise<ThreadProfile[]> {
  const maps = sourceMaps(dist);
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  let finished: () => void = () => undefined;
  const complete = new Promise<void>((resolve) => (finished = resolve));
  cdp.on('event', ({ method, params }) => {
    if (method === 'Tracing.dataCollected') {
      events.push(...((params as { value: TraceEvent[] }).value ?? []));
    } else if (method === 'Tracing.tracingComplete') finished();
  });
  await cdp.send('Tracing.start', {
    categories: 'disabled-by-default-v8.cpu_profiler,toplevel',
    transferMode: 'ReportEvents',
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  await cdp.send('Tracing.end');
  // Chromium has been seen never to report the trace complete (a cross-origin isolated page):
  // then what arrived within 30 s is what there is.
  const gaveUp = await Promise.race([
    complete.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 30_000)),
  ]);
  if (gaveUp) console.warn(`trace incomplete: ${events.length} events arrived`);
  await cdp.detach().catch(() => undefined);

  const threads = new Map<string, string>();
  for (const e of events) {
    if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? String(e.tid));
  }
  const profiles = new Map<
    string,
    { thread: string; nodes: Map<number, ProfileNode>; samples: number[]; deltas: number[] }
  >();
  for (const e of events) {
    if (e.name === 'Profile' && e.id) {
      const thread = threads.get(`${e.pid}:${e.tid}`) ?? String(e.tid);
      profiles.set(e.id, { thread, nodes: new Map(), samples: [], deltas: [] });
    } else if (e.name === 'ProfileChunk' && e.id) {
      const p = profiles.get(e.id);
      const data = e.args?.data;
      if (!p || !data) continue;
      for (const node of data.cpuProfile?.nodes ?? []) p.nodes.set(node.id, node);
      p.samples.push(...(data.cpuProfile?.samples ?? []));
      p.deltas.push(...(data.timeDeltas ?? []));
    }
  }

  const out: ThreadProfile[] = [];
  for (const p of profiles.values()) {
    const self = new Map<string, number>();
    let sampledMs = 0;
    p.samples.forEach((id, i) => {
      const ms = (p.deltas[i] ?? 0) / 1000;
      sampledMs += ms;
      const frame = p.nodes.get(id)?.callFrame;
      const name = frame ? describe(frame, maps) : '(unknown)';
      self.set(name, (self.get(name) ?? 0) + ms);
    });
    out.push({ thread: p.thread, sampledMs, top: [...self].sort((a, b) => b[1] - a[1]) });
  }
  return out;
}

function describe(frame: ProfileNode['callFrame'], maps: Map<string, TraceMap>): string {
  const file = (frame.url ?? '').split('/').pop() ?? '';
  const map = maps.get(file);
  if (map && frame.lineNumber >= 0) {
    const at = originalPositionFor(map, { line: frame.lineNumber + 1, column: frame.columnNumber });
    if (at.source) {
      const source = at.source
        .split('node_modules/')
        .pop()
        ?.replace(/^(\.\.\/)+/, '');
      return `${at.name ?? frame.functionName ?? '(anonymous)'} ${source}:${at.line}`;
    }
  }
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

/**
 * A bench row per sampled thread that ran JavaScript: its JavaScript time, and its `top` busiest
 * functions in the note. `label` follows the thread's name ("…, 1000 pairs").
 */
export function profileRows(profiles: ThreadProfile[], label: string, top: number): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const p of profiles) {
    const busy = p.top.filter(([name]) => !/^\((idle|program)\)/.test(name));
    if (busy.length === 0) continue;
    rows.push({
      name: `  where ${p.thread} spends 5 s, ${label}`,
      value: busy.reduce((sum, [, ms]) => sum + ms, 0),
      unit: 'ms in JS',
      note: p.top
        .slice(0, top)
        .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
        .join('; '),
    });
  }
  return rows;
}
