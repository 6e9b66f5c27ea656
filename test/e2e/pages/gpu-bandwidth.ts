// Exposes the bandwidth kernel to test/e2e/gpu-bandwidth.spec.ts and bench/gpuBandwidth.bench.ts
// in a real Chromium, with a CPU copy of the same size to compare it with.
import { measureBandwidth } from '../../../src/lib/gpu/bandwidth';
import { bandwidthGBps } from '../../../src/lib/gpu/decodeBound';

/** GB/s of a typed-array copy on this page's thread, best of `iterations` after a warm-up. */
function cpuCopy(bytes: number, iterations: number): number {
  const from = new Uint32Array(bytes / 4).map((_, i) => i);
  const to = new Uint32Array(bytes / 4);
  to.set(from);
  let best = 0;
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    to.set(from);
    const seconds = (performance.now() - started) / 1000;
    best = Math.max(best, bandwidthGBps(bytes, bytes, Math.max(seconds, 1e-6)));
  }
  return best;
}

declare global {
  interface Window {
    gpuBandwidth: { measure: typeof measureBandwidth; cpuCopy: typeof cpuCopy };
  }
}

window.gpuBandwidth = { measure: measureBandwidth, cpuCopy };
document.body.dataset.ready = 'true';
