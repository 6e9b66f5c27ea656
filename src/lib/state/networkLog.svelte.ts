// The network log: every origin this page and its pipeline worker have contacted in this session,
// read from the browser's own resource timing, each with why it is expected (or that it is not).
import {
  mergeTallies,
  explainOrigin,
  type OriginContext,
  type OriginKind,
  type OriginTally,
  type NetworkRecord,
  type PolicyRefusal,
} from '../network/tally';
import type { Services } from './services';

export interface NetworkRow extends OriginTally {
  kind: OriginKind;
  why: string;
}

export class NetworkLog {
  rows = $state.raw<NetworkRow[]>([]);
  /** Set when the worker's own requests could not be read: the list then shows the page's only. */
  workerProblem = $state<string | null>(null);
  /** What the content security policy refused, in the page and in the worker. */
  refusals = $state.raw<(PolicyRefusal & { where: 'page' | 'worker' })[]>([]);

  readonly #services: Services;
  readonly #context: () => OriginContext;

  constructor(services: Services, context: () => OriginContext) {
    this.#services = services;
    this.#context = context;
  }

  async refresh(): Promise<void> {
    const page = this.#services.pageNetwork?.() ?? { origins: [], refusals: [] };
    let worker: NetworkRecord = { origins: [], refusals: [] };
    try {
      worker = (await this.#services.pipeline().network?.()) ?? worker;
      this.workerProblem = null;
    } catch (error) {
      this.workerProblem = error instanceof Error ? error.message : String(error);
    }
    const context = this.#context();
    this.refusals = [
      ...page.refusals.map((r) => ({ ...r, where: 'page' as const })),
      ...worker.refusals.map((r) => ({ ...r, where: 'worker' as const })),
    ];
    this.rows = mergeTallies(page.origins, worker.origins).map((row) => ({
      ...row,
      ...explainOrigin(row.origin, context),
    }));
  }
}
