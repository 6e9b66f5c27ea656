// Drawing the map of questions on a 2D canvas: which colour and order each group gets, the dot
// size for the number of points, the points layer and the rings round marked points.
import type { AgreementGroup, ColourMode, MapPoint, StatusGroup } from './mapPoints';

type Group = StatusGroup | AgreementGroup;

const STATUS_COLOUR: Record<StatusGroup, string> = {
  accepted: '--accent',
  'too-similar': '--muted',
  contaminated: '--bad',
  rejected: '--warn',
};
const AGREEMENT_COLOUR: Record<AgreementGroup, string> = {
  unanimous: '--ok',
  passes: '--accent',
  'below-bar': '--bad',
  'no-pair': '--warn',
  'not-accepted': '--border',
};
// Drawn first to last, so the rarer, telling groups sit on top.
const STATUS_ORDER: StatusGroup[] = ['too-similar', 'rejected', 'accepted', 'contaminated'];
const AGREEMENT_ORDER: AgreementGroup[] = [
  'not-accepted',
  'no-pair',
  'passes',
  'unanimous',
  'below-bar',
];

/** The CSS colour variable of a group under the colour mode. */
export function colourVar(mode: ColourMode, group: Group): string {
  return mode === 'status'
    ? STATUS_COLOUR[group as StatusGroup]
    : AGREEMENT_COLOUR[group as AgreementGroup];
}

const groupOf = (mode: ColourMode, p: MapPoint): Group =>
  mode === 'status' ? p.status : p.agreement;

/** Dot size in CSS pixels: large while there are few points, small when there are thousands. */
export function dotSize(n: number): number {
  return n <= 200 ? 8 : n <= 2000 ? 5 : n <= 5000 ? 3 : 2;
}

/** Draws every point at its screen position, group by group; `colour` reads a CSS variable. */
export function drawPoints(
  ctx: CanvasRenderingContext2D,
  xy: Float32Array,
  points: readonly MapPoint[],
  mode: ColourMode,
  colour: (cssVar: string) => string,
): void {
  const size = dotSize(points.length);
  ctx.globalAlpha = points.length > 5000 ? 0.7 : 0.85;
  for (const group of mode === 'status' ? STATUS_ORDER : AGREEMENT_ORDER) {
    ctx.fillStyle = colour(colourVar(mode, group)) || '#888';
    // Few points are drawn as round dots, many as squares: 20k arcs would cost more than it shows.
    if (size >= 4) ctx.beginPath();
    for (let i = 0; i < points.length; i++) {
      if (groupOf(mode, points[i]!) !== group) continue;
      const x = xy[2 * i]!;
      const y = xy[2 * i + 1]!;
      if (size >= 4) {
        ctx.moveTo(x + size / 2, y);
        ctx.arc(x, y, size / 2, 0, 2 * Math.PI);
      } else ctx.fillRect(x - size / 2, y - size / 2, size, size);
    }
    if (size >= 4) ctx.fill();
  }
}

/** Rings round the hovered and focused points (focus colour) and the opened one (wider, text colour). */
export function drawRings(
  ctx: CanvasRenderingContext2D,
  xy: Float32Array,
  marks: { hover: number; focused: number; opened: number },
  colour: (cssVar: string) => string,
): void {
  const dot = dotSize(xy.length / 2);
  ctx.lineWidth = 2;
  for (const [index, opened] of [
    [marks.hover, false],
    [marks.focused, false],
    [marks.opened, true],
  ] as const) {
    if (index < 0 || 2 * index >= xy.length) continue;
    ctx.strokeStyle = colour(opened ? '--text' : '--focus') || '#000';
    ctx.beginPath();
    ctx.arc(xy[2 * index]!, xy[2 * index + 1]!, dot / 2 + (opened ? 5 : 3), 0, 2 * Math.PI);
    ctx.stroke();
  }
}
