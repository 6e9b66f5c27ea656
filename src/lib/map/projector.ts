// Projects the map's embeddings to two dimensions in a worker, one request at a time: while one is
// being computed only the newest waiting request is kept, so a live run never queues refits.
import * as Comlink from 'comlink';
import { pca2, type PcaOptions } from './pca';

export interface Projection {
  /** Two numbers per row. */
  coords: Float32Array;
  axes: [Float64Array, Float64Array];
  /** Share of the variance each axis holds. */
  explained: [number, number];
  /** The rows' key when the request was made. */
  key: string;
}

export interface ProjectRequest {
  data: Float32Array;
  n: number;
  dim: number;
  key: string;
  previousAxes?: [Float64Array, Float64Array];
}

/**
 * The map's fit: axes from at most 4,000 rows, turned less than 0.3 degrees by the last step, or
 * the best of 100 steps. A picture needs no tighter fit, and this keeps 20k rows under a second.
 */
export const MAP_FIT: Readonly<PcaOptions> = { fitRows: 4000, tolerance: 1e-5, maxIterations: 100 };

/** The worker's one call, also usable in place where no worker can be made. */
export function projectRows(request: ProjectRequest): Projection {
  const fit = pca2(request.data, request.n, request.dim, {
    ...MAP_FIT,
    ...(request.previousAxes ? { previousAxes: request.previousAxes } : {}),
  });
  const result: Projection = {
    coords: fit.coords,
    axes: fit.axes,
    explained: fit.explained,
    key: request.key,
  };
  return Comlink.transfer(result, [fit.coords.buffer]);
}

interface ProjectionApi {
  project(request: ProjectRequest): Projection;
}

export type ProjectFn = (request: ProjectRequest) => Promise<Projection>;

/** A projector backed by a module worker, made on first use and ended by dispose(). */
export function workerProjector(): { project: ProjectFn; dispose(): void } {
  let worker: Worker | null = null;
  let remote: Comlink.Remote<ProjectionApi> | null = null;
  return {
    project(request) {
      if (!remote) {
        worker = new Worker(new URL('./projection.worker.ts', import.meta.url), {
          type: 'module',
          name: 'crescent-map',
        });
        remote = Comlink.wrap<ProjectionApi>(worker);
      }
      // The rows are handed over, not copied: the caller packs a fresh array per request.
      return remote.project(Comlink.transfer(request, [request.data.buffer]));
    },
    dispose() {
      remote?.[Comlink.releaseProxy]();
      worker?.terminate();
      worker = null;
      remote = null;
    },
  };
}

/**
 * Runs at most one projection at a time. A request made while one runs replaces any request still
 * waiting; each finished projection goes to onResult, a failure to onError.
 */
export class LatestProjection {
  #busy = false;
  #waiting: ProjectRequest | null = null;
  #closed = false;

  constructor(
    private readonly project: ProjectFn,
    private readonly onResult: (projection: Projection) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(request: ProjectRequest): void {
    if (this.#closed) return;
    if (this.#busy) {
      this.#waiting = request;
      return;
    }
    this.#run(request);
  }

  close(): void {
    this.#closed = true;
    this.#waiting = null;
  }

  #run(request: ProjectRequest): void {
    this.#busy = true;
    // A worker that cannot be made throws at once: that too reaches onError.
    Promise.resolve()
      .then(() => this.project(request))
      .then(
        (projection) => {
          if (!this.#closed) this.onResult(projection);
        },
        (error: unknown) => {
          if (!this.#closed) this.onError(error);
        },
      )
      .finally(() => {
        this.#busy = false;
        const next = this.#waiting;
        this.#waiting = null;
        if (next && !this.#closed) this.#run(next);
      });
  }
}
