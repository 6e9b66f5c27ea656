import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { TaskQueue } from '../src/lib/engines/taskQueue';

/** A task that runs until the test lets it finish. */
function held(log: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const task = async (): Promise<string> => {
    log.push(`start ${name}`);
    await done;
    log.push(`end ${name}`);
    return name;
  };
  return { task, finish };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  return error instanceof CrescentError ? error.code : String(error);
}

describe('TaskQueue', () => {
  it('runs tasks in arrival order and lets an aborted waiter leave before its turn', async () => {
    const queue = new TaskQueue(1);
    const log: string[] = [];
    const a = held(log, 'a');
    const first = queue.run(a.task);
    const leaving = new AbortController();
    const b = queue.run(held(log, 'b').task, leaving.signal);
    const c = queue.run(async () => void log.push('c'));
    const d = queue.run(async () => void log.push('d'));
    await settle();
    expect(queue.waiting).toBe(3);
    leaving.abort();
    expect(await codeOf(b)).toBe('aborted');
    expect(queue.waiting).toBe(2);
    a.finish();
    await Promise.all([first, c, d]);
    expect(log).toEqual(['start a', 'end a', 'c', 'd']);
    expect(queue.running).toBe(0);
  });

  it('answers an abort at once but keeps a running task in its slot until it settles', async () => {
    const queue = new TaskQueue(1);
    const log: string[] = [];
    const a = held(log, 'a');
    const controller = new AbortController();
    const first = queue.run(a.task, controller.signal);
    const next = queue.run(async () => void log.push('next'));
    await settle();
    controller.abort();
    expect(await codeOf(first)).toBe('aborted');
    await settle();
    // The aborted task still runs, so the next one has not started beside it.
    expect(log).toEqual(['start a']);
    a.finish();
    await next;
    expect(log).toEqual(['start a', 'end a', 'next']);
  });

  it('keeps at most its concurrency running, and starts more when it is raised', async () => {
    const queue = new TaskQueue(2);
    const log: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => held(log, name));
    const all = Promise.all(tasks.map((t) => queue.run(t.task)));
    await settle();
    expect(queue.running).toBe(2);
    queue.concurrency = 3;
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    for (const t of tasks) t.finish();
    expect(await all).toEqual(['a', 'b', 'c', 'd']);
  });

  it('runs a task of higher priority before those waiting longer', async () => {
    const queue = new TaskQueue(1);
    const log: string[] = [];
    const a = held(log, 'a');
    const first = queue.run(a.task);
    const later = queue.run(async () => void log.push('plain'));
    const urgent = queue.run(async () => void log.push('urgent'), undefined, { priority: 1 });
    a.finish();
    await Promise.all([first, later, urgent]);
    expect(log).toEqual(['start a', 'end a', 'urgent', 'plain']);
  });

  it('refuses a task whose signal is already aborted without starting it', async () => {
    const queue = new TaskQueue(1);
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    expect(await codeOf(queue.run(async () => void (ran = true), controller.signal))).toBe(
      'aborted',
    );
    expect(ran).toBe(false);
  });
});
