// The "On your GPU" panel's bandwidth kernel in Debian's Chromium (SwiftShader here: a software
// rasteriser on the CPU, not a GPU), beside a typed-array copy of the same size in the same page.
import { spawn } from 'node:child_process';
import type { BenchRow } from '../scripts/bench';
import { openBrowser } from './pageRun';

const PORT = 4196;
const ITERATIONS = 8;

async function serve(): Promise<() => void> {
  const child = spawn(
    'npx',
    ['vite', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
    // Its own process group: npx starts vite as a child, which must stop with it.
    { stdio: 'ignore', detached: true },
  );
  const stop = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  for (let i = 0; i < 120; i++) {
    const up = await fetch(`http://127.0.0.1:${PORT}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return stop;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stop();
  throw new Error('vite did not start');
}

export default async function (): Promise<BenchRow[]> {
  const stop = await serve();
  const session = await openBrowser();
  try {
    const { page } = session;
    await page.goto(`http://127.0.0.1:${PORT}/test/e2e/pages/gpu-bandwidth.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, {
      timeout: 120_000,
    });
    const gpu = await page.evaluate(
      (iterations) => window.gpuBandwidth.measure({ iterations, verify: true }),
      ITERATIONS,
    );
    if (!gpu.ok) throw new Error(gpu.reason);
    if (!gpu.copyCorrect) throw new Error('the copy kernel wrote the wrong bytes');
    const cpu = await page.evaluate(
      ({ bytes, iterations }) => window.gpuBandwidth.cpuCopy(bytes, iterations),
      { bytes: gpu.bytes, iterations: ITERATIONS },
    );
    const size = `${gpu.bytes / 2 ** 20} MiB each way, ${gpu.adapter}, timed by ${gpu.timing}`;
    return [
      { name: 'copy kernel, best submit', value: gpu.bestGBps, unit: 'GB/s', note: size },
      { name: 'copy kernel, median submit', value: gpu.medianGBps, unit: 'GB/s' },
      { name: 'typed-array copy on the page, best', value: cpu, unit: 'GB/s' },
      {
        name: 'copy kernel / typed-array copy',
        value: gpu.bestGBps / cpu,
        unit: 'ratio',
        note: 'same page, same run',
      },
    ];
  } finally {
    await session.close();
    stop();
  }
}
