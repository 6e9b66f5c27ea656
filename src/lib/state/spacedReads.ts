// Follows a database read through writes, spaced: any write to the named tables (this page's, a
// worker's or another tab's) schedules one plain read, at most once per `spacing(value)` ms.
// Unlike liveQuery it tracks no keys, so a read of a whole run costs only the read itself.
import { Dexie, type ObservabilitySet } from 'dexie';

export interface SpacedReads<T> {
  query: () => Promise<T>;
  spacing: (value: T | undefined) => number;
  /** Only writes to these tables count; none: every write. */
  tables: readonly string[];
  /** Writes to these tables are read at once, unspaced: the user's own edits. */
  immediate?: readonly string[];
  onValue: (value: T) => void;
  onError: (error: unknown) => void;
}

/** Reads now and after writes until the returned function is called. */
export function followSpaced<T>(reads: SpacedReads<T>): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let reading = false;
  let stale = false;
  let closed = false;
  let last = 0;
  let latest: T | undefined;

  const read = async () => {
    timer = null;
    reading = true;
    stale = false;
    try {
      const value = await reads.query();
      latest = value;
      if (!closed) reads.onValue(value);
    } catch (error) {
      if (!closed) reads.onError(error);
    } finally {
      reading = false;
      last = Date.now();
      if (stale && !closed) schedule();
    }
  };
  const schedule = (now = false) => {
    // A write during a read may not be in it: read once more after.
    if (reading) {
      stale = true;
      return;
    }
    if (timer !== null) {
      if (!now) return;
      clearTimeout(timer);
    }
    const wait = now ? 0 : Math.max(0, last + reads.spacing(latest) - Date.now());
    timer = setTimeout(() => void read(), wait);
  };
  const onWrite = (parts: ObservabilitySet) => {
    const { tables, immediate = [] } = reads;
    const touched = Object.keys(parts);
    if (touched.some((p) => touches(p, immediate))) schedule(true);
    else if (tables.length === 0 || touched.some((p) => touches(p, tables))) schedule();
  };
  Dexie.on('storagemutated', onWrite);
  void read();
  return () => {
    closed = true;
    if (timer !== null) clearTimeout(timer);
    Dexie.on.storagemutated.unsubscribe(onWrite);
  };
}

/** Whether a part of a storagemutated event ("idb://<db>/<table>/<index>") names one of the tables. */
function touches(part: string, tables: readonly string[]): boolean {
  const table = part.split('/')[3];
  return table !== undefined && tables.includes(table);
}

/**
 * Milliseconds between two reads of `records` records: a read and what is drawn from it cost in
 * proportion to the records, so spacing them in proportion too keeps the page's share of the
 * time flat as a run grows (10,000 records: one read every 2 s, at least 0.4 s apart).
 */
export function spacingForRecords(records: number): number {
  return Math.max(400, records * 0.2);
}
