// CPU time of Chromium's threads, read from /proc: the page's main thread and its workers live in
// the renderer processes of one browser (found by its profile directory), each thread named.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CLOCK_TICKS =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ThreadTimes {
  /** Thread name -> CPU seconds (user + system), summed over the browser's renderers. */
  byName: Map<string, number>;
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
  for (const pid of renderers(profile)) {
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
    }
  }
  return { byName };
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
