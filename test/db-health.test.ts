import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestPersistence, storageEstimate } from '../src/lib/db/quota';

afterEach(() => vi.unstubAllGlobals());

describe('requestPersistence', () => {
  it('asks the browser once and reports its answer', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { persist, persisted: async () => false } });
    expect(await requestPersistence()).toBe(true);
    expect(persist).toHaveBeenCalledTimes(1);
  });

  it('does not ask again when the data is already persistent', async () => {
    const persist = vi.fn(async () => false);
    vi.stubGlobal('navigator', { storage: { persist, persisted: async () => true } });
    expect(await requestPersistence()).toBe(true);
    expect(persist).not.toHaveBeenCalled();
  });

  it('reports false when the browser has no storage manager', async () => {
    vi.stubGlobal('navigator', {});
    expect(await requestPersistence()).toBe(false);
    vi.stubGlobal('navigator', undefined);
    expect(await requestPersistence()).toBe(false);
  });
});

describe('storageEstimate', () => {
  it('gives usage, quota and the fraction used', async () => {
    vi.stubGlobal('navigator', {
      storage: { estimate: async () => ({ usage: 250, quota: 1000 }) },
    });
    expect(await storageEstimate()).toEqual({ usage: 250, quota: 1000, fraction: 0.25 });
  });

  it('reads missing figures as zero and is null without the API', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({}) } });
    expect(await storageEstimate()).toEqual({ usage: 0, quota: 0, fraction: 0 });
    vi.stubGlobal('navigator', { storage: {} });
    expect(await storageEstimate()).toBeNull();
  });
});
