import { describe, expect, it } from 'vitest';
import { estimateEta, toLoadProgress } from '../src/lib/engines/webllmProgress';

const MiB = 1024 * 1024;

describe('reading web-llm init reports', () => {
  it('reads bytes, total and ETA from a download report', () => {
    const progress = toLoadProgress({
      progress: 0.12,
      timeElapsed: 30,
      text:
        'Fetching param cache[3/20]: 120MB fetched. 12% completed, 30 secs elapsed. ' +
        'It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
    });
    expect(progress.phase).toBe('fetching');
    expect(progress.fraction).toBe(0.12);
    expect(progress.bytesLoaded).toBe(120 * MiB);
    expect(progress.bytesTotal).toBe(1000 * MiB);
    expect(progress.etaSeconds).toBe(220);
    expect(progress.text).toBe('Downloading model: 120 MB of 1000 MB (12%)');
  });

  it('calls loading weights already in the cache a loading phase and passes fromCache on', () => {
    const progress = toLoadProgress(
      {
        progress: 0.5,
        timeElapsed: 2,
        text: 'Loading model from cache[10/20]: 450MB loaded. 50% completed, 2 secs elapsed.',
      },
      true,
    );
    expect(progress).toMatchObject({
      phase: 'loading',
      fraction: 0.5,
      bytesLoaded: 450 * MiB,
      etaSeconds: 2,
      fromCache: true,
    });
  });

  it('reports shader compilation as loading', () => {
    const progress = toLoadProgress({
      progress: 0.2,
      timeElapsed: 3,
      text: 'Loading GPU shader modules[10/50]: 20% completed, 3 secs elapsed.',
    });
    expect(progress).toMatchObject({
      phase: 'loading',
      fraction: 0.2,
      text: 'Compiling GPU shaders (20%)',
    });
  });

  it('marks the start of fetching and the end of loading', () => {
    expect(
      toLoadProgress({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' }),
    ).toMatchObject({
      phase: 'fetching',
      fraction: 0,
    });
    expect(
      toLoadProgress({
        progress: 1,
        timeElapsed: 9,
        text: 'Finish loading on WebGPU - swiftshader',
      }),
    ).toMatchObject({ phase: 'ready', fraction: 1 });
  });

  it('keeps the text of reports it does not know', () => {
    const progress = toLoadProgress({
      progress: Number.NaN,
      timeElapsed: 0,
      text: 'Loading tokenizer',
    });
    expect(progress).toEqual({ phase: 'loading', fraction: null, text: 'Loading tokenizer' });
  });

  it('gives no ETA before there is a rate to go by', () => {
    expect(estimateEta(0, 10)).toBeNull();
    expect(estimateEta(0.5, 0)).toBeNull();
    expect(estimateEta(null, 10)).toBeNull();
    expect(estimateEta(1, 10)).toBe(0);
    expect(estimateEta(0.25, 10)).toBe(30);
  });
});
