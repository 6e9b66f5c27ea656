// The model picker's list: follows the GPU report, knows which models are already downloaded,
// and removes a download the user no longer wants.
import { toErrorInfo } from '../crescent/errors';
import type { GpuReport } from '../engines/reports';
import type { CatalogModel } from '../engines/catalog';
import { modelChoices, suggestedModelId, type ModelChoice } from './modelChoices';
import type { Services } from './services';

export class ModelCatalog {
  readonly #services: Services;
  readonly #report: () => GpuReport | null;
  #models = $state.raw<CatalogModel[]>([]);
  #cached = $state.raw<readonly string[]>([]);
  #loadError = $state<string | null>(null);
  #removing = $state<string | null>(null);
  #removeError = $state<{ model: string; message: string } | null>(null);

  readonly choices: ModelChoice[] = $derived(
    modelChoices(this.#models, this.#reportNow(), this.#memory()),
  );

  constructor(services: Services, report: () => GpuReport | null) {
    this.#services = services;
    this.#report = report;
  }

  get models(): CatalogModel[] {
    return this.#models;
  }

  get loaded(): boolean {
    return this.#models.length > 0;
  }

  /** The model to suggest for this GPU; null until the list is loaded or without WebGPU. */
  suggestion(report: GpuReport | null): string | null {
    if (!report?.webgpu || this.#models.length === 0) return null;
    return suggestedModelId(this.#models, report, this.#memory());
  }

  /** Why the list could not be read, or null. */
  get loadError(): string | null {
    return this.#loadError;
  }

  async load(): Promise<void> {
    try {
      this.#models = await this.#services.loadCatalog();
      this.#loadError = null;
    } catch (error) {
      this.#loadError = error instanceof Error ? error.message : String(error);
    }
  }

  /** The model whose download is being removed, or null. */
  get removing(): string | null {
    return this.#removing;
  }

  /** Why the last removal was refused (the model in use by a run, the cache unreadable). */
  get removeError(): { model: string; message: string } | null {
    return this.#removeError;
  }

  /** Deletes a model's weights from this browser; the worker refuses while a run uses it. */
  async removeDownload(id: string): Promise<void> {
    this.#removing = id;
    this.#removeError = null;
    try {
      await this.#services.pipeline().deleteCachedModel(id);
    } catch (error) {
      const { message, action } = toErrorInfo(error);
      this.#removeError = { model: id, message: action ? `${message} ${action}` : message };
    } finally {
      await this.refreshCache();
      this.#removing = null;
    }
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
