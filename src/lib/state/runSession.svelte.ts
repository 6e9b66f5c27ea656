// The run the worker is executing, or one another tab executes: its status, model loading,
// progress, errors and a live feed of the latest questions it decided on.
import type { RunKeys } from '../recipe/secrets';
import { Dexie } from 'dexie';
import { toErrorInfo, type ErrorInfo } from '../crescent/errors';
import type { QuestionRecord } from '../crescent/types';
import type { Recipe } from '../recipe/types';
import type { LoadProgress } from '../engines/reports';
import type { PipelineEvent, RunProgress, RunStatus, StopReason } from '../worker/protocol';
import { SpacedQuery } from './spacedQuery.svelte';
import type { EventOrigin, PipelinePort, Services } from './services';

const FEED_SIZE = 12;
/** The feed shows the latest questions at most this often: a fast run writes many a second. */
const FEED_SPACING_MS = 500;

export class RunSession {
  #status = $state<RunStatus>('idle');
  #runId = $state<string | null>(null);
  #load = $state.raw<LoadProgress | null>(null);
  #place = $state<string | null>(null);
  #progress = $state.raw<RunProgress | null>(null);
  #error = $state.raw<ErrorInfo | null>(null);
  #stopReason = $state<StopReason | null>(null);
  #busy = $state(false);
  #inAnotherTab = $state(false);
  #unloaded = $state(false);
  #pipeline: PipelinePort | null = null;
  readonly #services: Services;

  /** The latest proposals of the current run, newest first. */
  readonly feed: SpacedQuery<QuestionRecord[]> | null = $derived(
    this.#runId ? this.#feedOf(this.#runId) : null,
  );

  constructor(services: Services) {
    this.#services = services;
  }

  get status(): RunStatus {
    return this.#status;
  }
  get runId(): string | null {
    return this.#runId;
  }
  get load(): LoadProgress | null {
    return this.#load;
  }

  /** Where the chat model of this tab's run runs, once loaded (engines that say). */
  get place(): string | null {
    return this.#place;
  }
  get progress(): RunProgress | null {
    return this.#progress;
  }
  get error(): ErrorInfo | null {
    return this.#error;
  }
  get stopReason(): StopReason | null {
    return this.#stopReason;
  }
  /** A start, resume or pause request is on its way to the worker. */
  get busy(): boolean {
    return this.#busy;
  }
  get active(): boolean {
    return this.#status === 'loading' || this.#status === 'running';
  }
  /** The run shown is executed by another tab of this browser; only that tab can pause it. */
  get inAnotherTab(): boolean {
    return this.#inAnotherTab;
  }
  /** This tab's worker let go of its models since its last run. */
  get unloaded(): boolean {
    return this.#unloaded;
  }

  /** Starts the worker (which recovers runs a closed tab cut off) and follows other tabs' runs. */
  connect(): void {
    this.#connect();
  }

  async start(recipe: Recipe): Promise<void> {
    await this.#request(async (pipeline) => {
      this.#reset();
      this.#status = 'loading';
      this.#runId = await pipeline.start(recipe);
    });
  }

  async resume(runId: string, keys?: RunKeys): Promise<void> {
    await this.#request(async (pipeline) => {
      this.#reset();
      this.#runId = runId;
      this.#status = 'loading';
      await pipeline.resume(runId, keys);
    });
  }

  async pause(): Promise<void> {
    await this.#request((pipeline) => pipeline.pause());
  }

  /** Frees the GPU memory the last run's models hold; the next run loads them again. */
  async unloadModel(): Promise<void> {
    await this.#request(async (pipeline) => {
      await pipeline.unload();
      this.#unloaded = true;
    });
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Applies one event from the worker; public so tests can drive the session without one. */
  receive(event: PipelineEvent, origin: EventOrigin = 'this-tab'): void {
    if (origin === 'other-tab') {
      this.#follow(event);
      return;
    }
    switch (event.type) {
      case 'status':
        if (event.runId) this.#runId = event.runId;
        this.#status = event.status;
        if (event.reason) this.#stopReason = event.reason;
        break;
      case 'load':
        this.#load = event.progress;
        if (event.progress.place !== undefined) this.#place = event.progress.place;
        break;
      case 'progress':
        if (this.#runId === null) this.#runId = event.runId;
        if (event.runId === this.#runId) this.#progress = event.progress;
        break;
      case 'error':
        this.#error = event.error;
        break;
    }
  }

  /** Another tab's run is shown while this tab has none of its own going. */
  #follow(event: PipelineEvent): void {
    if (event.type === 'load' || event.runId === null) return;
    if (this.#busy || (this.active && !this.#inAnotherTab)) return;
    if (event.runId !== this.#runId) {
      this.#reset();
      this.#runId = event.runId;
      // Heard mid-run: the run's own 'running' status went out before this tab listened.
      this.#status = 'running';
    }
    this.#inAnotherTab = true;
    switch (event.type) {
      case 'status':
        this.#status = event.status;
        if (event.reason) this.#stopReason = event.reason;
        break;
      case 'progress':
        this.#progress = event.progress;
        break;
      case 'error':
        this.#error = event.error;
        break;
    }
  }

  #reset(): void {
    this.#inAnotherTab = false;
    this.#unloaded = false;
    this.#error = null;
    this.#stopReason = null;
    this.#progress = null;
    this.#load = null;
    this.#place = null;
  }

  #connect(): PipelinePort {
    if (!this.#pipeline) {
      this.#pipeline = this.#services.pipeline();
      this.#pipeline.subscribe((event, origin) => this.receive(event, origin));
    }
    return this.#pipeline;
  }

  async #request(work: (pipeline: PipelinePort) => Promise<void>): Promise<void> {
    this.#busy = true;
    try {
      await work(this.#connect());
    } catch (error) {
      this.#error = toErrorInfo(error);
      if (this.#status === 'loading') this.#status = 'failed';
    } finally {
      this.#busy = false;
    }
  }

  #feedOf(runId: string): SpacedQuery<QuestionRecord[]> {
    const { db } = this.#services;
    return new SpacedQuery(
      () =>
        db.questions
          .where('[runId+seq]')
          .between([runId, Dexie.minKey], [runId, Dexie.maxKey])
          .reverse()
          .limit(FEED_SIZE)
          .toArray(),
      [],
      () => FEED_SPACING_MS,
      ['questions'],
    );
  }
}
