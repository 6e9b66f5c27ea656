// Exposes the bandwidth kernel to test/e2e/gpu-bandwidth.spec.ts in a real Chromium.
import { measureBandwidth } from '../../../src/lib/gpu/bandwidth';

declare global {
  interface Window {
    gpuBandwidth: { measure: typeof measureBandwidth };
  }
}

window.gpuBandwidth = { measure: measureBandwidth };
document.body.dataset.ready = 'true';
