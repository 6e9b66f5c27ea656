// What this browser's GPU can do, read once without downloading anything.
import { toErrorInfo, type ErrorInfo } from '../crescent/errors';
import type { GpuReport } from '../engines/reports';
import type { Services } from './services';

export class HardwareState {
  #report = $state.raw<GpuReport | null>(null);
  #checking = $state(false);
  #failure = $state.raw<ErrorInfo | null>(null);
  readonly #services: Services;

  constructor(services: Services) {
    this.#services = services;
  }

  get report(): GpuReport | null {
    return this.#report;
  }

  get checking(): boolean {
    return this.#checking;
  }

  /** The preflight itself failed (not the same as "no WebGPU", which is a report). */
  get failure(): ErrorInfo | null {
    return this.#failure;
  }

  get webgpu(): boolean {
    return this.#report?.webgpu ?? false;
  }

  async check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      this.#report = await this.#services.preflight();
      this.#failure = null;
    } catch (error) {
      this.#failure = toErrorInfo(error);
    } finally {
      this.#checking = false;
    }
  }
}
