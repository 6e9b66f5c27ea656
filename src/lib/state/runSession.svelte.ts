// The run the worker is executing: its status, model loading, progress, errors and a live feed
// of the latest questions it decided on. The worker is created on the first start or resume.
import { Dexie } from 'dexie';
import { toErrorInfo, type ErrorInfo } from '../crescent/errors';
import type { QuestionRecord } from '../crescent/types';
import type { Recipe } from '../recipe/types';
import type {
  LoadProgress,
  PipelineEvent,
  RunProgress,
  RunStatus,
  StopReason,
} from '../worker/protocol';
import { LiveQueryState } from './liveQueryState.svelte';
import type { PipelinePort, Services } from './services';

export const FEED_SIZE = 12;

export class RunSession {
  #status = $state<RunStatus>('idle');
  #runId = $state<string | null>(null);
  #load = $state.raw<LoadProgress | null>(null);
  #progress = $state.raw<RunProgress | null>(null);
  #error = $state.raw<ErrorInfo | null>(null);
  #stopReason = $state<StopReason | null>(null);
  #busy = $state(false);
  #pipeline: PipelinePort | null = null;
  readonly #services: Services;

  /** The latest proposals of the current run, newest first. */
  readonly feed: LiveQueryState<QuestionRecord[]> | null = $derived(
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

  async start(recipe: Recipe): Promise<void> {
    await this.#request(async (pipeline) => {
      this.#reset();
      this.#status = 'loading';
      this.#runId = await pipeline.start(recipe);
    });
  }

  async resume(runId: string): Promise<void> {
    await this.#request(async (pipeline) => {
      this.#reset();
      this.#runId = runId;
      this.#status = 'loading';
      await pipeline.resume(runId);
    });
  }

  async pause(): Promise<void> {
    await this.#request((pipeline) => pipeline.pause());
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Applies one event from the worker; public so tests can drive the session without one. */
  receive(event: PipelineEvent): void {
    switch (event.type) {
      case 'status':
        if (event.runId) this.#runId = event.runId;
        this.#status = event.status;
        if (event.reason) this.#stopReason = event.reason;
        break;
      case 'load':
        this.#load = event.progress;
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

  #reset(): void {
    this.#error = null;
    this.#stopReason = null;
    this.#progress = null;
    this.#load = null;
  }

  #connect(): PipelinePort {
    if (!this.#pipeline) {
      this.#pipeline = this.#services.pipeline();
      this.#pipeline.subscribe((event) => this.receive(event));
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

  #feedOf(runId: string): LiveQueryState<QuestionRecord[]> {
    const { db } = this.#services;
    return new LiveQueryState(
      () =>
        db.questions
          .where('[runId+seq]')
          .between([runId, Dexie.minKey], [runId, Dexie.maxKey])
          .reverse()
          .limit(FEED_SIZE)
          .toArray(),
      [],
    );
  }
}
