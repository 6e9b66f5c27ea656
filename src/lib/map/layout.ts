// Placing the map's points on screen and finding them again: a fit of the projected coordinates
// into the drawing box, a uniform grid for hover (one cell look-up instead of a scan of 20k points),
// and the step to the nearest point in a direction, for arrow keys.

/** Screen positions (x0, y0, x1, y1, ...) of the coordinates, fitted into width x height less pad. */
export function fitToBox(
  coords: Float32Array,
  width: number,
  height: number,
  pad: number,
): Float32Array {
  const n = coords.length >> 1;
  const out = new Float32Array(2 * n);
  if (n === 0) return out;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const innerW = Math.max(width - 2 * pad, 0);
  const innerH = Math.max(height - 2 * pad, 0);
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  for (let i = 0; i < n; i++) {
    // A flat axis puts every point in the middle of it.
    out[2 * i] = pad + (spanX > 0 ? ((coords[2 * i]! - minX) / spanX) * innerW : innerW / 2);
    // Screen y grows downwards; the second axis grows upwards as on a chart.
    out[2 * i + 1] =
      pad + (spanY > 0 ? (1 - (coords[2 * i + 1]! - minY) / spanY) * innerH : innerH / 2);
  }
  return out;
}

/** A bucket grid over screen positions, for the point nearest the pointer. */
export class PointGrid {
  readonly #xy: Float32Array;
  readonly #cell: number;
  readonly #cols: number;
  readonly #rows: number;
  readonly #minX: number;
  readonly #minY: number;
  /** #starts[c]..#starts[c + 1] index #order for the points in cell c. */
  readonly #starts: Int32Array;
  readonly #order: Int32Array;

  constructor(xy: Float32Array, cell: number) {
    if (!(cell > 0)) throw new RangeError(`PointGrid needs a positive cell size (got ${cell})`);
    this.#xy = xy;
    this.#cell = cell;
    const n = xy.length >> 1;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, xy[2 * i]!);
      maxX = Math.max(maxX, xy[2 * i]!);
      minY = Math.min(minY, xy[2 * i + 1]!);
      maxY = Math.max(maxY, xy[2 * i + 1]!);
    }
    if (n === 0) minX = minY = maxX = maxY = 0;
    this.#minX = minX;
    this.#minY = minY;
    this.#cols = Math.floor((maxX - minX) / cell) + 1;
    this.#rows = Math.floor((maxY - minY) / cell) + 1;
    const counts = new Int32Array(this.#cols * this.#rows + 1);
    const cellOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = this.#cellIndex(xy[2 * i]!, xy[2 * i + 1]!);
      cellOf[i] = c;
      counts[c + 1]!++;
    }
    for (let c = 1; c < counts.length; c++) counts[c]! += counts[c - 1]!;
    this.#starts = counts;
    const fill = counts.slice(0, -1);
    this.#order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.#order[fill[cellOf[i]!]!++] = i;
  }

  #cellIndex(x: number, y: number): number {
    const col = Math.floor((x - this.#minX) / this.#cell);
    const row = Math.floor((y - this.#minY) / this.#cell);
    return row * this.#cols + col;
  }

  /** The point nearest (x, y) no farther than radius, the lowest index on a tie; -1 for none. */
  nearest(x: number, y: number, radius: number): number {
    const xy = this.#xy;
    const c0 = Math.max(0, Math.floor((x - radius - this.#minX) / this.#cell));
    const c1 = Math.min(this.#cols - 1, Math.floor((x + radius - this.#minX) / this.#cell));
    const r0 = Math.max(0, Math.floor((y - radius - this.#minY) / this.#cell));
    const r1 = Math.min(this.#rows - 1, Math.floor((y + radius - this.#minY) / this.#cell));
    let best = -1;
    let bestD = radius * radius;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        const c = row * this.#cols + col;
        for (let k = this.#starts[c]!; k < this.#starts[c + 1]!; k++) {
          const i = this.#order[k]!;
          const dx = xy[2 * i]! - x;
          const dy = xy[2 * i + 1]! - y;
          const d = dx * dx + dy * dy;
          if (d < bestD || (d === bestD && (best < 0 || i < best))) {
            best = i;
            bestD = d;
          }
        }
      }
    }
    return best;
  }
}

/**
 * The point an arrow key moves to from point `from`: the nearest one lying within 45 degrees of the
 * direction (dx, dy) (screen axes), distances across the direction counting double; -1 for none.
 */
export function stepToward(xy: Float32Array, from: number, dx: number, dy: number): number {
  const n = xy.length >> 1;
  if (from < 0 || from >= n) return -1;
  const len = Math.hypot(dx, dy);
  if (len === 0) return -1;
  const ux = dx / len;
  const uy = dy / len;
  const x0 = xy[2 * from]!;
  const y0 = xy[2 * from + 1]!;
  let best = -1;
  let bestScore = Infinity;
  for (let i = 0; i < n; i++) {
    if (i === from) continue;
    const vx = xy[2 * i]! - x0;
    const vy = xy[2 * i + 1]! - y0;
    const along = vx * ux + vy * uy;
    const across = Math.abs(vx * uy - vy * ux);
    if (along <= 0 || across > along) continue;
    const score = along + 2 * across;
    if (score < bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** How many other points lie on the very spot of point i (repeats the embedder cannot tell apart). */
export function othersOnSpot(xy: Float32Array, i: number): number {
  if (i < 0 || 2 * i >= xy.length) return 0;
  let count = 0;
  for (let j = 0; j < xy.length / 2; j++) {
    if (j === i) continue;
    if (
      Math.abs(xy[2 * j]! - xy[2 * i]!) < 0.5 &&
      Math.abs(xy[2 * j + 1]! - xy[2 * i + 1]!) < 0.5
    ) {
      count++;
    }
  }
  return count;
}
