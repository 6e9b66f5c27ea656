// Chromium driven without Playwright: the DevTools protocol over --remote-debugging-pipe, with
// only the commands a page run needs (navigate, evaluate, one mouse click). Playwright enables
// the Network domain on the page and on every worker it attaches to, and that instrumentation
// runs on the page's main thread for each of the worker's requests; here nothing is enabled, so
// the threads' CPU is the app's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { chromiumArgs } from '../playwright.config';

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

export interface BarePage {
  /** The profile directory, to find the browser's processes. */
  profile: string;
  goto(url: string): Promise<void>;
  /** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /**
   * Evaluates an expression every `everyMs` until it gives a truthy value, and returns that
   * value; an evaluation that fails (the page navigating) counts as not yet.
   */
  poll<T>(expression: string, everyMs: number, timeoutMs: number): Promise<T>;
  /** A left click at a point of the page's viewport, as a pointer would. */
  click(x: number, y: number): Promise<void>;
  close(): Promise<void>;
}

export async function openBarePage(executable: string): Promise<BarePage> {
  const profile = mkdtempSync(join(tmpdir(), 'crescent-bare-'));
  const child: ChildProcess = spawn(
    executable,
    [
      ...chromiumArgs,
      '--headless',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      '--window-size=1280,900',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let buffered = '';
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end)) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
      };
      buffered = buffered.slice(end + 1);
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiting || message.id === undefined) continue;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result ?? {});
    }
  });
  const send = (method: string, params: object = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });

  const { targetInfos } = (await send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string }[];
  };
  const target = targetInfos.find((t) => t.type === 'page');
  if (!target) throw new Error('no page target');
  const { sessionId } = (await send('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: true,
  })) as { sessionId: string };
  const inPage = (method: string, params: object = {}) => send(method, params, sessionId);
  const evaluate = async <T>(expression: string): Promise<T> => {
    const reply = (await inPage('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (reply.exceptionDetails) throw new Error(reply.exceptionDetails.text);
    return reply.result.value;
  };
  const poll = async <T>(expression: string, everyMs: number, timeoutMs: number): Promise<T> => {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      const value = await evaluate<T>(expression).catch(() => null);
      if (value) return value;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    throw new Error(`${expression} was still false after ${timeoutMs} ms`);
  };

  return {
    profile,
    goto: async (url) => {
      await inPage('Page.navigate', { url });
      // Page events are not enabled: wait for the new document instead.
      await poll(
        `location.href === ${JSON.stringify(url)} && document.readyState === 'complete'`,
        100,
        30_000,
      );
    },
    evaluate,
    poll,
    click: async (x, y) => {
      const at = { x, y, button: 'left', clickCount: 1 };
      await inPage('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
      await inPage('Input.dispatchMouseEvent', { type: 'mousePressed', ...at });
      await inPage('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at });
    },
    close: async () => {
      await send('Browser.close').catch(() => undefined);
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
        setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 5_000);
      });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
