// The "On your GPU" panel's state: the GPU's copy bandwidth, the chosen model's prefill and
// decode speed, and what they mean for the recipe. Loaded with the panel, never on the first page.
import { toErrorInfo, type ErrorInfo } from '../crescent/errors';
import type { CatalogModel } from '../engines/catalog';
import type { LoadProgress } from '../engines/reports';
import type { ModelSpeed } from '../engines/speedProbe';
import type { BandwidthResult } from '../gpu/bandwidth';
import { boundTokensPerSecond, estimateWeights, type WeightEstimate } from '../gpu/decodeBound';
import { questionRate, recipeCostAtLimits, type QuestionRate } from '../gpu/questionRate';
import type { Recipe } from '../recipe/types';
import type { PipelinePort } from './services';

export interface MachineSpeedDeps {
  pipeline: () => PipelinePort;
  /** The recipe as Setup describes it now, with its API key (the model is loaded with it). */
  recipe: () => Recipe;
  models: () => readonly CatalogModel[];
  measureBandwidth: () => Promise<BandwidthResult>;
}

export class MachineSpeed {
  readonly #deps: MachineSpeedDeps;
  #bandwidth = $state.raw<BandwidthResult | null>(null);
  #bandwidthError = $state.raw<ErrorInfo | null>(null);
  #measuringGpu = $state(false);
  #speed = $state.raw<ModelSpeed | null>(null);
  #speedError = $state.raw<ErrorInfo | null>(null);
  #measuringModel = $state(false);
  #load = $state.raw<LoadProgress | null>(null);
  /** Share of bait replies that become accepted questions: the user's guess, 0..1. */
  acceptanceRate = $state(0.5);

  constructor(deps: MachineSpeedDeps) {
    this.#deps = deps;
  }

  get bandwidth(): BandwidthResult | null {
    return this.#bandwidth;
  }
  get bandwidthError(): ErrorInfo | null {
    return this.#bandwidthError;
  }
  get measuringGpu(): boolean {
    return this.#measuringGpu;
  }
  get speed(): ModelSpeed | null {
    return this.#speed;
  }
  get speedError(): ErrorInfo | null {
    return this.#speedError;
  }
  get measuringModel(): boolean {
    return this.#measuringModel;
  }
  get load(): LoadProgress | null {
    return this.#load;
  }
  get recipe(): Recipe {
    return this.#deps.recipe();
  }

  get weights(): WeightEstimate | null {
    return estimateWeights(this.#deps.recipe().engine, this.#deps.models());
  }

  /** Decode tokens a second the measured bandwidth allows the chosen model, when both are known. */
  get boundTokensPerSecond(): number | null {
    const bandwidth = this.#bandwidth;
    const weights = this.weights;
    if (!bandwidth?.ok || !weights) return null;
    return boundTokensPerSecond(bandwidth.bestGBps, weights.bytes);
  }

  /** The measured decode speed as a share of the bound. */
  get shareOfBound(): number | null {
    const bound = this.boundTokensPerSecond;
    return bound === null || !this.#speed ? null : this.#speed.decodeTokensPerSecond / bound;
  }

  get questionRate(): QuestionRate | null {
    const speed = this.#speed;
    const rate = this.acceptanceRate;
    if (!speed || !(rate > 0 && rate <= 1)) return null;
    return questionRate(recipeCostAtLimits(this.#deps.recipe(), rate), speed);
  }

  async measureGpu(): Promise<void> {
    if (this.#measuringGpu) return;
    this.#measuringGpu = true;
    this.#bandwidthError = null;
    try {
      this.#bandwidth = await this.#deps.measureBandwidth();
    } catch (error) {
      this.#bandwidthError = toErrorInfo(error);
    } finally {
      this.#measuringGpu = false;
    }
  }

  async measureModel(): Promise<void> {
    const pipeline = this.#deps.pipeline();
    if (this.#measuringModel) return;
    this.#measuringModel = true;
    this.#speedError = null;
    this.#load = null;
    const stop = pipeline.subscribe((event, origin) => {
      if (event.type === 'load' && origin === 'this-tab') this.#load = event.progress;
    });
    try {
      if (!pipeline.measureSpeed) throw new Error('This page cannot time a model.');
      this.#speed = await pipeline.measureSpeed(this.#deps.recipe().engine);
    } catch (error) {
      this.#speedError = toErrorInfo(error);
    } finally {
      stop();
      this.#measuringModel = false;
    }
  }
}
