// How much of this site's storage quota the data uses, and whether the browser keeps it.
import { requestPersistence, storageEstimate, type StorageEstimate } from '../db/quota';

export class StorageState {
  #estimate = $state.raw<StorageEstimate | null>(null);
  #persistent = $state<boolean | null>(null);
  #asking = $state(false);

  get estimate(): StorageEstimate | null {
    return this.#estimate;
  }

  /** null until known. */
  get persistent(): boolean | null {
    return this.#persistent;
  }

  get asking(): boolean {
    return this.#asking;
  }

  async refresh(): Promise<void> {
    this.#estimate = await storageEstimate();
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (storage?.persisted) this.#persistent = await storage.persisted();
  }

  async keepPersistent(): Promise<void> {
    this.#asking = true;
    try {
      this.#persistent = await requestPersistence();
      await this.refresh();
    } finally {
      this.#asking = false;
    }
  }
}
