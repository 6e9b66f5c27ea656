// Storage health: ask the browser to keep our data, read how full it is, and turn the many shapes
// of "storage is full" (DOMException, Dexie wrappers, transaction aborts) into one typed error.
import { CrescentError } from '../crescent/errors';

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);
/** Legacy DOMException.QUOTA_EXCEEDED_ERR, still set by some engines. */
const QUOTA_CODE = 22;
/** Wrappers nest at most a few levels; the bound guards against cyclic `cause` chains. */
const MAX_DEPTH = 6;

function quotaExceeded(cause?: unknown): CrescentError {
  return new CrescentError(
    {
      code: 'quota-exceeded',
      message: 'The browser storage for this site is full.',
      action: 'Free some space (delete old runs or export and delete), then resume the run.',
    },
    { cause },
  );
}

function field(value: object, key: string): unknown {
  return (value as Record<string, unknown>)[key];
}

/** True for a quota failure itself or any error that wraps one (Dexie's `inner`, `cause`, bulk `failures`). */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return false;
  if (error instanceof CrescentError) return error.code === 'quota-exceeded';
  const name = field(error, 'name');
  if (typeof name === 'string' && QUOTA_NAMES.has(name)) return true;
  if (typeof DOMException !== 'undefined' && error instanceof DOMException) {
    if (error.code === QUOTA_CODE) return true;
  }
  const failures = field(error, 'failures');
  const nested = [field(error, 'inner'), field(error, 'cause')];
  if (Array.isArray(failures)) nested.push(...(failures as unknown[]));
  return nested.some((inner) => inner !== error && isQuotaError(inner, depth + 1));
}

/** Any failed write as a CrescentError: 'quota-exceeded' when the disk is full, else 'storage'. */
export function toStorageError(error: unknown): CrescentError {
  if (error instanceof CrescentError) return error;
  if (isQuotaError(error)) return quotaExceeded(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new CrescentError(
    {
      code: 'storage',
      message: `The browser storage failed: ${detail}`,
      action: 'Reload the page and resume the run; if it happens again, export your data.',
    },
    { cause: error },
  );
}

/** Runs a storage operation and rethrows its failure as a typed error. */
export async function withStorageErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toStorageError(error);
  }
}

/** The part of navigator.storage we use; absent in older browsers and insecure contexts. */
interface StorageManagerLike {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

function storageManager(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined'
    ? undefined
    : (navigator as { storage?: StorageManagerLike }).storage;
}

/**
 * Asks the browser not to evict our data under storage pressure.
 * Resolves to whether the data is persistent; false when the browser has no such API.
 */
export async function requestPersistence(): Promise<boolean> {
  const storage = storageManager();
  if (!storage?.persist) return false;
  if (storage.persisted && (await storage.persisted())) return true;
  return storage.persist();
}

export interface StorageEstimate {
  /** Bytes used by this origin. */
  usage: number;
  /** Bytes this origin may use. */
  quota: number;
  /** usage / quota, 0..1. */
  fraction: number;
}

/** How full this site's storage is, or null when the browser does not say. */
export async function storageEstimate(): Promise<StorageEstimate | null> {
  const storage = storageManager();
  if (!storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await storage.estimate();
  return { usage, quota, fraction: quota > 0 ? usage / quota : 0 };
}
