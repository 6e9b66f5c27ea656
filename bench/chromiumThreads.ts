// CPU time of Chromium's threads, read from /proc: the page's main thread and its workers live in
// the renderer processes of one browser (found by its profile directory), each thread named.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CLOCK_TICKS =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ThreadTimes {
  /** Thread name -> CPU seconds (user + system), summed over the browser's renderers. */
  byName: Map<string, number>;
  /** The same for each renderer process by pid. */
  byProcess: Map<number, Map<string, number>>;
  /** Each thread by tid: its name and CPU seconds. */
  byThread: Map<number, { name: string; seconds: number }>;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Renderer processes of the browser started with this profile directory. */
function renderers(profile: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = read(`/proc/${entry}/cmdline`);
    if (!cmdline || !cmdline.includes('--type=renderer')) continue;
    if (!cmdline.includes(profile)) continue;
    pids.push(Number(entry));
  }
  return pids;
}

/** CPU seconds of every renderer thread of the browser, by thread name. */
export function threadTimes(profile: string): ThreadTimes {
  const byName = new Map<string, number>();
  const byProcess = new Map<number, Map<string, number>>();
  const byThread = new Map<number, { name: string; seconds: number }>();
  for (const pid of renderers(profile)) {
    const own = new Map<string, number>();
    byProcess.set(pid, own);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      const name = read(`/proc/${pid}/task/${tid}/comm`)?.trim();
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (!name || !stat) continue;
      // Fields after the parenthesised name: utime and stime are the 14th and 15th overall.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
      byName.set(name, (byName.get(name) ?? 0) + cpu);
      own.set(name, (own.get(name) ?? 0) + cpu);
      byThread.set(Number(tid), { name, seconds: cpu });
    }
  }
  return { byName, byProcess, byThread };
}

/**
 * CPU seconds the page's own main thread spent between two readings. The page's renderer is the
 * one that holds its dedicated worker; the other renderers (the service worker's, a page left
 * from before the cross-origin isolated reload) have main threads of the same name.
 */
export function pageMainBetween(before: ThreadTimes, after: ThreadTimes): number {
  let seconds = 0;
  for (const [pid, threads] of after.byProcess) {
    if (![...threads.keys()].some((name) => /^DedicatedWorker/.test(name))) continue;
    seconds += (threads.get('chromium') ?? 0) - (before.byProcess.get(pid)?.get('chromium') ?? 0);
  }
  return seconds;
}

/** What each thread name spent between two readings, in seconds. */
export function spentBetween(before: ThreadTimes, after: ThreadTimes): Map<string, number> {
  const spent = new Map<string, number>();
  for (const [name, seconds] of after.byName) {
    const delta = seconds - (before.byName.get(name) ?? 0);
    if (delta > 0) spent.set(name, delta);
  }
  return spent;
}

/**
 * CPU seconds of each dedicated worker thread between two readings, most first. The threads all
 * carry the same name; in a run the pipeline's is by far the busiest (the question map's
 * projection worker, the other one, wakes every few seconds).
 */
export function dedicatedWorkersBetween(before: ThreadTimes, after: ThreadTimes): number[] {
  const spent: number[] = [];
  for (const [tid, thread] of after.byThread) {
    if (!/^DedicatedWorker/.test(thread.name)) continue;
    spent.push(thread.seconds - (before.byThread.get(tid)?.seconds ?? 0));
  }
  return spent.sort((a, b) => b - a);
}

/** CPU seconds of the shared worker threads (the tab's fetch relay) between two readings. */
export function sharedWorkersBetween(before: ThreadTimes, after: ThreadTimes): number {
  let seconds = 0;
  for (const [tid, thread] of after.byThread) {
    if (!/^SharedWorker/.test(thread.name)) continue;
    seconds += thread.seconds - (before.byThread.get(tid)?.seconds ?? 0);
  }
  return seconds;
}
