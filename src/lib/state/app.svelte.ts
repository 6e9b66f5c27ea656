// The page's state, created once in main.ts: one object per concern, wired together here so the
// components only read state and call methods named after what the user does.
import { endpointUrls, keptKeys, type KeyRequest } from './resumeKeys';
import { missingKeys, type RunKeys } from '../recipe/secrets';
import { originContext } from '../network/recipeOrigins';
import { NetworkLog } from './networkLog.svelte';
import { DatasetView } from './datasetView.svelte';
import { ContaminationChecker } from './contaminationChecker.svelte';
import { Exporter } from './exporter.svelte';
import { HardwareState } from './hardware.svelte';
import { Importer } from './importer.svelte';
import { ModelCatalog } from './modelCatalog.svelte';
import { RunLibrary } from './runLibrary.svelte';
import { RunSession } from './runSession.svelte';
import type { Services } from './services';
import { SetupForm } from './setupForm.svelte';
import { StorageState } from './storageState.svelte';

export type Section = 'setup' | 'run' | 'data' | 'export';

export const SECTIONS: { id: Section; label: string }[] = [
  { id: 'setup', label: 'Setup' },
  { id: 'run', label: 'Run' },
  { id: 'data', label: 'Runs & data' },
  { id: 'export', label: 'Export & import' },
];

export class AppState {
  section = $state<Section>('setup');
  readonly hardware: HardwareState;
  readonly form: SetupForm;
  readonly catalog: ModelCatalog;
  readonly session: RunSession;
  readonly library: RunLibrary;
  readonly dataset: DatasetView;
  /** The database, for views that read it themselves (the charts). */
  readonly db: Services['db'];
  readonly exporter: Exporter;
  readonly checker: ContaminationChecker;
  readonly importer: Importer;
  readonly storage: StorageState;
  readonly network: NetworkLog;
  /** For panels loaded on demand, which build their own state from it. */
  readonly services: Services;

  constructor(services: Services) {
    this.services = services;
    this.hardware = new HardwareState(services);
    this.form = new SetupForm(services);
    this.catalog = new ModelCatalog(services, () => this.hardware.report);
    this.db = services.db;
    this.session = new RunSession(services);
    this.library = new RunLibrary(services.db);
    this.dataset = new DatasetView(services.db, () => this.library.selected);
    this.exporter = new Exporter(
      services.db,
      () => this.library.selected,
      () => this.dataset.all,
    );
    this.checker = new ContaminationChecker(services.db, () => this.library.selected);
    this.importer = new Importer(services.db);
    this.storage = new StorageState();
    this.network = new NetworkLog(services, () =>
      originContext(location.origin, [this.form.recipe, ...this.library.runs.map((r) => r.recipe)]),
    );
  }

  /**
   * Page start: the worker starts (it marks runs a closed tab cut off, and this tab hears runs of
   * other tabs), a shared recipe fills the form, the GPU is read.
   */
  async open(hash: string): Promise<void> {
    this.session.connect();
    this.form.openLink(hash);
    // Without a storage estimate the page still works; the storage panel says what it knows.
    await this.storage.refresh().catch(() => undefined);
    const catalog = this.catalog.load();
    await this.hardware.check();
    this.form.fitModelToGpu(this.hardware.report);
    this.form.offerCpuEngine(this.hardware.report);
    await catalog;
    this.form.suggestModel(this.catalog.suggestion(this.hardware.report));
    await this.catalog.refreshCache();
  }

  go(section: Section): void {
    this.section = section;
    // Runs, imports and deletes since the last look change how full the storage is.
    if (section === 'export') void this.storage.refresh();
    // A run may have downloaded a model since the list was marked.
    if (section === 'setup') void this.catalog.refreshCache();
  }

  async startRun(): Promise<void> {
    if (!this.form.canStart) return;
    this.section = 'run';
    await this.session.start(this.form.runRecipe());
    if (this.session.runId) this.library.selectOnly(this.session.runId);
  }

  /** A resume held back until the user gives the API keys its run was started with. */
  keyRequest = $state.raw<KeyRequest | null>(null);

  /**
   * Resumes a stored run. Its API keys come from where the user kept them (this tab or this
   * browser) or from `given`; a run started with a key that is kept nowhere asks for it first.
   */
  async resumeRun(runId: string, given: RunKeys = {}): Promise<void> {
    this.section = 'run';
    this.library.selectOnly(runId);
    const row = this.library.runs.find((r) => r.id === runId);
    const keys = { ...keptKeys(row?.recipe ?? null), ...given };
    const missing = missingKeys(row?.keyed, keys);
    if (row?.recipe && missing.length > 0) {
      this.keyRequest = { runId, runName: row.name, urls: endpointUrls(row.recipe, missing), keys };
      return;
    }
    this.keyRequest = null;
    await this.session.resume(runId, keys);
  }

  /** Set when a new version of the app is installed and waits: calling it reloads into it. */
  update = $state.raw<(() => Promise<void>) | null>(null);

  /** A new version is ready; it is applied only when the user asks, and never mid-run. */
  offerUpdate(apply: () => Promise<void>): void {
    this.update = apply;
  }

  async applyUpdate(): Promise<void> {
    if (!this.update || this.session.active) return;
    await this.update();
  }

  cancelKeyRequest(): void {
    this.keyRequest = null;
  }

  browseRun(runId: string): void {
    this.library.selectOnly(runId);
  }
}
