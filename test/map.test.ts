import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PointGrid, fitToBox, othersOnSpot, stepToward } from '../src/lib/map/layout';
import { groupCounts, mapInput, mapKey, packRows } from '../src/lib/map/mapPoints';
import { LatestProjection, projectRows, type ProjectRequest } from '../src/lib/map/projector';
import type { QaPairRecord, QuestionRecord } from '../src/lib/crescent/types';

function question(seq: number, over: Partial<QuestionRecord> = {}): QuestionRecord {
  return {
    runId: 'r1',
    seq,
    origin: 'bait',
    attempt: 0,
    raw: `Q${seq}`,
    text: `Question ${seq}?`,
    status: 'accepted',
    embedding: Float32Array.from([seq, 1, 0]),
    tokens: 5,
    createdAt: seq,
    ...over,
  };
}

function pair(seq: number, over: Partial<QaPairRecord> = {}): QaPairRecord {
  return {
    runId: 'r1',
    questionSeq: seq,
    question: `Question ${seq}?`,
    answerText: 'so 4',
    answer: '4',
    votes: { '4': 3 },
    abstained: 0,
    samples: 3,
    k: 3,
    agreement: 1,
    minVotes: 0,
    passes: true,
    model: 'm',
    createdAt: seq,
    ...over,
  };
}

describe('mapInput', () => {
  it('packs the embedded proposals row by row, in run and proposal order, with their groups', () => {
    const questions = [
      question(2, { status: 'rejected', reason: 'too-similar', similarity: 0.97 }),
      question(0),
      question(1, { runId: 'r0' }),
      question(3, { status: 'rejected', reason: 'contaminated' }),
      question(4, { status: 'rejected', reason: 'truncated' }),
      question(5, { text: null, status: 'rejected', reason: 'no-question', embedding: undefined }),
      question(6),
    ];
    const pairs = [
      pair(0),
      pair(6, {
        votes: { '4': 1, '5': 1 },
        samples: 2,
        minVotes: 2,
        passes: false,
        agreement: null,
      }),
      pair(1, { runId: 'r0', votes: { '4': 2 }, samples: 2, agreement: null }),
    ];
    const input = mapInput(questions, pairs);
    expect(input.dim).toBe(3);
    expect(input.points.map((p) => `${p.runId}:${p.seq}`)).toEqual([
      'r0:1',
      'r1:0',
      'r1:2',
      'r1:3',
      'r1:4',
      'r1:6',
    ]);
    expect(Array.from(packRows(input))).toEqual([
      1, 1, 0, 0, 1, 0, 2, 1, 0, 3, 1, 0, 4, 1, 0, 6, 1, 0,
    ]);
    expect(input.points.map((p) => p.status)).toEqual([
      'accepted',
      'accepted',
      'too-similar',
      'contaminated',
      'rejected',
      'accepted',
    ]);
    // r0:1 stopped at 2 of 3 with no bar: it passes but is not known to be unanimous.
    expect(input.points.map((p) => p.agreement)).toEqual([
      'passes',
      'unanimous',
      'not-accepted',
      'not-accepted',
      'not-accepted',
      'below-bar',
    ]);
    expect(input.points[2]!.similarity).toBe(0.97);
    expect(input.points[1]!.answer).toBe('4');
    expect(input.points[2]!.answer).toBeUndefined();
    expect(input.notEmbedded).toBe(1);
    expect(input.otherDim).toBe(0);
  });

  it('calls an accepted question without a pair not yet voted, and a unanimous bar unanimous', () => {
    const input = mapInput(
      [question(0), question(1)],
      [pair(1, { votes: { '4': 2 }, samples: 2, k: 2, minVotes: 2, agreement: 1 })],
    );
    expect(input.points.map((p) => p.agreement)).toEqual(['no-pair', 'unanimous']);
  });

  it('leaves off the rows of an embedder of another size, and says how many', () => {
    const input = mapInput(
      [
        question(0),
        question(1),
        question(2, { runId: 'other', embedding: Float32Array.from([1, 2]) }),
      ],
      [],
    );
    expect(input.dim).toBe(3);
    expect(input.points).toHaveLength(2);
    expect(input.otherDim).toBe(1);
    expect(packRows(input)).toHaveLength(6);
    expect(packRows(input)).not.toBe(packRows(input));
  });

  it('draws nothing when nothing was embedded', () => {
    const input = mapInput([question(0, { embedding: undefined })], []);
    expect(input).toMatchObject({ points: [], dim: 0, notEmbedded: 1, otherDim: 0 });
  });

  it('counts the points of each legend group, zeros included, in the legend order', () => {
    const input = mapInput(
      [question(0), question(1, { status: 'rejected', reason: 'too-similar' }), question(2)],
      [pair(0)],
    );
    expect(groupCounts(input.points, 'status')).toEqual([
      { group: 'accepted', count: 2 },
      { group: 'too-similar', count: 1 },
      { group: 'contaminated', count: 0 },
      { group: 'rejected', count: 0 },
    ]);
    expect(groupCounts(input.points, 'agreement')).toEqual([
      { group: 'unanimous', count: 1 },
      { group: 'passes', count: 0 },
      { group: 'below-bar', count: 0 },
      { group: 'no-pair', count: 1 },
      { group: 'not-accepted', count: 1 },
    ]);
  });

  it('keys the drawable set so a new embedded proposal changes the key and a vote does not', () => {
    const base = [question(0), question(1)];
    const key = mapKey(base);
    expect(mapKey([...base])).toBe(key);
    expect(mapKey([...base, question(2)])).not.toBe(key);
    expect(mapKey([...base, question(2, { embedding: undefined, text: null })])).not.toBe(key);
    expect(mapKey([question(0), question(1, { runId: 'r2' })])).not.toBe(key);
  });
});

describe('fitToBox', () => {
  it('spans the box less its padding, with the second axis growing upwards', () => {
    const xy = fitToBox(Float32Array.from([-1, -2, 1, 2, 0, 0]), 110, 60, 5);
    expect(Array.from(xy)).toEqual([5, 55, 105, 5, 55, 30]);
  });

  it('centres a flat axis and returns nothing for no points', () => {
    expect(Array.from(fitToBox(Float32Array.from([3, 1, 3, 2]), 20, 20, 0))).toEqual([
      10, 20, 10, 0,
    ]);
    expect(fitToBox(new Float32Array(0), 10, 10, 1)).toHaveLength(0);
  });
});

describe('PointGrid', () => {
  const brute = (xy: Float32Array, x: number, y: number, radius: number) => {
    let best = -1;
    let bestD = radius * radius;
    for (let i = 0; i < xy.length / 2; i++) {
      const d = (xy[2 * i]! - x) ** 2 + (xy[2 * i + 1]! - y) ** 2;
      if (d < bestD || (d === bestD && best < 0)) {
        best = i;
        bestD = d;
      }
    }
    return best;
  };

  it('finds the same point as a full scan, or none beyond the radius (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 300 })), {
          maxLength: 300,
        }),
        fc.integer({ min: -20, max: 420 }),
        fc.integer({ min: -20, max: 320 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 50 }),
        (points, x, y, radius, cell) => {
          const xy = Float32Array.from(points.flat());
          expect(new PointGrid(xy, cell).nearest(x, y, radius)).toBe(brute(xy, x, y, radius));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('picks the lowest index of points on one spot and refuses a cell of no size', () => {
    const xy = Float32Array.from([5, 5, 9, 9, 5, 5]);
    expect(new PointGrid(xy, 4).nearest(5, 6, 3)).toBe(0);
    expect(new PointGrid(xy, 4).nearest(30, 30, 3)).toBe(-1);
    expect(new PointGrid(new Float32Array(0), 4).nearest(0, 0, 10)).toBe(-1);
    expect(() => new PointGrid(xy, 0)).toThrow(RangeError);
  });
});

describe('stepToward', () => {
  //   0 at (50, 50); 1 right (80, 52); 2 far right (150, 50); 3 up (50, 10); 4 down-right (70, 90)
  const xy = Float32Array.from([50, 50, 80, 52, 150, 50, 50, 10, 70, 90]);

  it('moves to the nearest point within 45 degrees of the arrow', () => {
    expect(stepToward(xy, 0, 1, 0)).toBe(1);
    expect(stepToward(xy, 0, 0, -1)).toBe(3);
    expect(stepToward(xy, 0, 0, 1)).toBe(4);
    expect(stepToward(xy, 0, -1, 0)).toBe(-1);
    expect(stepToward(xy, 1, 1, 0)).toBe(2);
    expect(stepToward(xy, 2, -1, 0)).toBe(1);
  });

  it('weighs distance across the arrow double: a point straight ahead beats a nearer one aside', () => {
    // From (0, 0) going right: (30, 0) scores 30; (20, 15) scores 20 + 30 = 50.
    const row = Float32Array.from([0, 0, 20, 15, 30, 0]);
    expect(stepToward(row, 0, 1, 0)).toBe(2);
  });

  it('goes nowhere from no point or with no direction', () => {
    expect(stepToward(xy, -1, 1, 0)).toBe(-1);
    expect(stepToward(xy, 5, 1, 0)).toBe(-1);
    expect(stepToward(xy, 0, 0, 0)).toBe(-1);
  });
});

describe('othersOnSpot', () => {
  it('counts the other points within half a pixel of one, and none for no point', () => {
    const xy = Float32Array.from([10, 10, 10.4, 9.7, 10.6, 10, 30, 30]);
    expect(othersOnSpot(xy, 0)).toBe(1);
    expect(othersOnSpot(xy, 3)).toBe(0);
    expect(othersOnSpot(xy, -1)).toBe(0);
    expect(othersOnSpot(xy, 4)).toBe(0);
  });
});

describe('LatestProjection', () => {
  function request(key: string): ProjectRequest {
    return { data: Float32Array.from([0, 0, 1, 1, 2, 0]), n: 3, dim: 2, key };
  }

  it('runs one projection at a time and keeps only the newest waiting request', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const results: string[] = [];
    const latest = new LatestProjection(
      (r) => {
        started.push(r.key);
        return new Promise((resolve) => release.push(() => resolve(projectRows(r))));
      },
      (p) => results.push(p.key),
      () => results.push('error'),
    );
    latest.request(request('a'));
    latest.request(request('b'));
    latest.request(request('c'));
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['a']);
    release[0]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(results).toEqual(['a']);
    expect(started).toEqual(['a', 'c']);
    release[1]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(results).toEqual(['a', 'c']);
  });

  it('reports a projector that throws at once instead of throwing itself', async () => {
    const seen: string[] = [];
    const latest = new LatestProjection(
      () => {
        throw new Error('no workers here');
      },
      (p) => seen.push(p.key),
      (e) => seen.push((e as Error).message),
    );
    expect(() => latest.request(request('a'))).not.toThrow();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['no workers here']);
  });

  it('passes a failure on and goes on with the next request; nothing after close', async () => {
    const seen: string[] = [];
    let fail = true;
    const latest = new LatestProjection(
      async (r) => {
        if (fail) throw new Error('worker died');
        return projectRows(r);
      },
      (p) => seen.push(p.key),
      (e) => seen.push((e as Error).message),
    );
    latest.request(request('a'));
    await new Promise((r) => setTimeout(r, 0));
    fail = false;
    latest.request(request('b'));
    await new Promise((r) => setTimeout(r, 0));
    latest.close();
    latest.request(request('c'));
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['worker died', 'b']);
  });

  it('projects in place with the key it was asked under', () => {
    const p = projectRows(request('k'));
    expect(p.key).toBe('k');
    expect(p.coords).toHaveLength(6);
    expect(p.explained[0]).toBeGreaterThan(0.5);
  });
});
