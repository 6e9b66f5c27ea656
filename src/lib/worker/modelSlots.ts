// The loaded chat engine and embedder, kept between runs: loading a web-llm model takes minutes,
// so a run with the same model reuses it, and a different model replaces it (GPU memory is scarce).
import type { ChatEngine, Embedder } from '../crescent/types';
import type { EmbedderSpec, EngineSpec } from '../recipe/types';
import type { LoadProgress } from '../engines/reports';

export interface LoadedEngine {
  readonly engine: ChatEngine;
  /** Frees the model (GPU memory for web-llm). */
  unload(): Promise<void>;
}

export interface LoadOptions {
  onProgress: (progress: LoadProgress) => void;
  signal: AbortSignal;
}

export type EngineLoader = (spec: EngineSpec, options: LoadOptions) => Promise<LoadedEngine>;
export type EmbedderLoader = (spec: EmbedderSpec, options: LoadOptions) => Promise<Embedder>;

/** Same spec, same key, whatever order the recipe listed its fields in. */
function specKey(spec: EngineSpec | EmbedderSpec): string {
  return JSON.stringify(spec, Object.keys(spec).sort());
}

export class ModelSlots {
  #engine: { key: string; model: string; loaded: LoadedEngine } | null = null;
  #embedder: { key: string; embedder: Embedder } | null = null;

  constructor(
    private readonly loadEngine: EngineLoader,
    private readonly loadEmbedder: EmbedderLoader,
  ) {}

  async engine(spec: EngineSpec, options: LoadOptions): Promise<ChatEngine> {
    const key = specKey(spec);
    if (this.#engine?.key === key) return this.#engine.loaded.engine;
    await this.unloadEngine();
    const loaded = await this.loadEngine(spec, options);
    this.#engine = { key, model: spec.model, loaded };
    return loaded.engine;
  }

  async embedder(spec: EmbedderSpec, options: LoadOptions): Promise<Embedder> {
    const key = specKey(spec);
    if (this.#embedder?.key === key) return this.#embedder.embedder;
    const embedder = await this.loadEmbedder(spec, options);
    this.#embedder = { key, embedder };
    return embedder;
  }

  /** The chat model id now loaded, if any. */
  get engineModel(): string | null {
    return this.#engine?.model ?? null;
  }

  async unloadEngine(): Promise<void> {
    const slot = this.#engine;
    this.#engine = null;
    await slot?.loaded.unload();
  }

  async unloadAll(): Promise<void> {
    this.#embedder = null;
    await this.unloadEngine();
  }
}
