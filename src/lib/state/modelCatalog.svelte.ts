// The model picker's list: follows the GPU report, and knows which models are already downloaded.
import type { GpuReport } from '../worker/protocol';
import { modelChoices, type ModelChoice } from './modelChoices';
import type { Services } from './services';

export class ModelCatalog {
  readonly #services: Services;
  readonly #report: () => GpuReport | null;
  #cached = $state.raw<readonly string[]>([]);

  readonly choices: ModelChoice[] = $derived(modelChoices(this.#reportNow(), this.#memory()));

  constructor(services: Services, report: () => GpuReport | null) {
    this.#services = services;
    this.#report = report;
  }

  isCached(id: string): boolean {
    return this.#cached.includes(id);
  }

  find(id: string): ModelChoice | undefined {
    return this.choices.find((c) => c.id === id);
  }

  async refreshCache(): Promise<void> {
    try {
      this.#cached = [...(await this.#services.cachedModels(this.choices.map((c) => c.id)))];
    } catch {
      // The Cache API is missing in some private modes: no marks, nothing else lost.
      this.#cached = [];
    }
  }

  #reportNow(): GpuReport | null {
    return this.#report();
  }

  #memory(): number | undefined {
    return this.#services.deviceMemoryGB();
  }
}
