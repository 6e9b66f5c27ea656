// The map's current fit: projections asked of the worker as the questions change, spaced further
// apart as they grow (a fit costs in proportion to the points), the newest one kept with the
// points it was asked for.
import { LatestProjection, workerProjector, type Projection } from './projector';
import { packRows, type MapInput, type MapPoint } from './mapPoints';

/**
 * The fewest milliseconds between two fits while a run adds questions: every 1.5 s at least, and
 * 5 ms per point (10,000 points: every 50 s).
 */
const REFIT_MS = 1500;
const REFIT_MS_PER_POINT = 5;

export interface Fitted {
  projection: Projection;
  points: MapPoint[];
}

export class MapFit {
  fitted = $state.raw<Fitted | null>(null);
  failure = $state<string | null>(null);
  // The points of the fits asked for and not yet back; a replaced request never comes back and
  // is dropped once a later one does.
  #asked: { key: string; points: MapPoint[] }[] = [];
  #lastAsk = 0;
  readonly #projector = workerProjector();
  readonly #latest = new LatestProjection(
    this.#projector.project,
    (projection) => {
      const at = this.#asked.findIndex((a) => a.key === projection.key);
      const points = this.#asked[at]?.points;
      this.#asked = this.#asked.slice(at + 1);
      if (points) this.fitted = { projection, points };
      this.failure = null;
    },
    (error) => {
      this.failure = error instanceof Error ? error.message : String(error);
    },
  );

  /**
   * Asks for a fit of `input` (whose key is `key`, see mapKey) once the spacing allows, unless the
   * current fit is of it; returns what cancels the ask, for an effect's cleanup.
   */
  follow(input: MapInput, key: string): (() => void) | undefined {
    if (input.points.length < 2 || this.fitted?.projection.key === key) return undefined;
    const spacing = Math.max(REFIT_MS, input.points.length * REFIT_MS_PER_POINT);
    const wait = Math.max(0, this.#lastAsk + spacing - Date.now());
    const timer = setTimeout(() => {
      this.#lastAsk = Date.now();
      this.#asked = [...this.#asked, { key, points: input.points }].slice(-8);
      const previous = this.fitted?.projection.axes;
      this.#latest.request({
        data: packRows(input),
        n: input.points.length,
        dim: input.dim,
        key,
        ...(previous ? { previousAxes: previous } : {}),
      });
    }, wait);
    return () => clearTimeout(timer);
  }

  close(): void {
    this.#latest.close();
    this.#projector.dispose();
  }
}
