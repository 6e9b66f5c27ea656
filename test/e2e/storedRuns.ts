// Reads what the app stored in IndexedDB, straight from the browser's database, and reduces a
// run to what two runs of one recipe must share (no run ids, no wall-clock times).
import type { Page } from '@playwright/test';

export interface StoredDataset {
  questions: unknown[];
  samples: unknown[];
  pairs: unknown[];
}

/** The datasets of every stored run, oldest run first. */
export async function storedDatasets(page: Page): Promise<StoredDataset[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('crescent');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = (store: string) =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as Record<string, unknown>[]);
        request.onerror = () => reject(request.error);
      });
    const [runs, questions, samples, pairs] = await Promise.all(
      ['runs', 'questions', 'samples', 'pairs'].map(all),
    );
    db.close();
    const strip = ({ runId: _r, createdAt: _c, embedding, ...rest }: Record<string, unknown>) =>
      embedding instanceof Float32Array ? { ...rest, embedding: Array.from(embedding) } : rest;
    const position = (r: Record<string, unknown>) => Number(r['seq'] ?? r['questionSeq']);
    const order = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      position(a) - position(b) || Number(a['index'] ?? 0) - Number(b['index'] ?? 0);
    return (runs ?? [])
      .sort((a, b) => Number(a['createdAt']) - Number(b['createdAt']))
      .map((run) => {
        const mine = (rows: Record<string, unknown>[] | undefined) =>
          (rows ?? [])
            .filter((r) => r['runId'] === run['id'])
            .sort(order)
            .map(strip);
        return { questions: mine(questions), samples: mine(samples), pairs: mine(pairs) };
      });
  });
}
