// The curated in-browser models: ids and VRAM figures come from web-llm's own prebuilt config,
// so they follow the installed version; only the family list, labels and sizes live here.
// web-llm is ~6 MB, so this module only imports its types: the config arrives as an argument
// (from the worker, which loads web-llm anyway) or through loadCatalog(), a separate chunk.
import type { ModelRecord } from '@mlc-ai/web-llm';
import type { GpuReport } from './reports';

export type Quantization = 'q4f16_1' | 'q4f32_1';
export type Fit = 'fits' | 'may-not-fit' | 'too-big';

export interface ModelVariant {
  modelId: string;
  vramMB: number;
  /** Approximate download, estimated from the parameter count (see downloadMB()). */
  downloadMB: number;
  /** web-llm marks models that run on phones and small iGPUs. */
  lowResource: boolean;
}

export interface CatalogModel {
  family: string;
  label: string;
  /** Billions of parameters, as published by the model's authors. */
  paramsB: number;
  /** Thinks in a <think> block unless asked not to (Qwen3 family). */
  thinking: boolean;
  variants: Record<Quantization, ModelVariant>;
}

interface Family {
  family: string;
  label: string;
  paramsB: number;
  thinking: boolean;
}

const FAMILIES: readonly Family[] = [
  {
    family: 'Qwen2.5-0.5B-Instruct',
    label: 'Qwen2.5 0.5B Instruct',
    paramsB: 0.49,
    thinking: false,
  },
  {
    family: 'Qwen2.5-1.5B-Instruct',
    label: 'Qwen2.5 1.5B Instruct',
    paramsB: 1.54,
    thinking: false,
  },
  { family: 'Qwen2.5-3B-Instruct', label: 'Qwen2.5 3B Instruct', paramsB: 3.09, thinking: false },
  {
    family: 'Qwen2.5-Math-1.5B-Instruct',
    label: 'Qwen2.5 Math 1.5B Instruct',
    paramsB: 1.54,
    thinking: false,
  },
  {
    family: 'Llama-3.2-1B-Instruct',
    label: 'Llama 3.2 1B Instruct',
    paramsB: 1.24,
    thinking: false,
  },
  {
    family: 'Llama-3.2-3B-Instruct',
    label: 'Llama 3.2 3B Instruct',
    paramsB: 3.21,
    thinking: false,
  },
  { family: 'Qwen3-0.6B', label: 'Qwen3 0.6B', paramsB: 0.6, thinking: true },
  { family: 'Qwen3-1.7B', label: 'Qwen3 1.7B', paramsB: 1.7, thinking: true },
  { family: 'Qwen3-4B', label: 'Qwen3 4B', paramsB: 4.0, thinking: true },
  { family: 'Qwen3-8B', label: 'Qwen3 8B', paramsB: 8.2, thinking: true },
  { family: 'Qwen3.5-0.8B', label: 'Qwen3.5 0.8B', paramsB: 0.8, thinking: true },
  { family: 'Qwen3.5-2B', label: 'Qwen3.5 2B', paramsB: 2.0, thinking: true },
  { family: 'Qwen3.5-4B', label: 'Qwen3.5 4B', paramsB: 4.0, thinking: true },
  { family: 'Qwen3.5-9B', label: 'Qwen3.5 9B', paramsB: 9.0, thinking: true },
];

/** A typical laptop's default, and the fallback when limits or memory are low. */
const DEFAULT_FAMILY = 'Qwen2.5-1.5B-Instruct';
const SMALL_FAMILY = 'Qwen2.5-0.5B-Instruct';

/**
 * 4-bit weights grouped by 32 carry one scale per group: 4 + 16/32 = 4.5 bits per parameter with
 * f16 scales, 4 + 32/32 = 5 with f32 scales. Tokenizer and shader files are small beside that.
 */
function downloadMB(paramsB: number, quantization: Quantization): number {
  const bits = quantization === 'q4f16_1' ? 4.5 : 5;
  return Math.round((paramsB * 1e9 * bits) / 8 / (1024 * 1024));
}

function modelIdFor(family: string, quantization: Quantization): string {
  return `${family}-${quantization}-MLC`;
}

function variant(
  family: Family,
  q: Quantization,
  records: Map<string, ModelRecord>,
): ModelVariant | null {
  const record = records.get(modelIdFor(family.family, q));
  if (record === undefined) return null;
  return {
    modelId: record.model_id,
    vramMB: record.vram_required_MB ?? 0,
    downloadMB: downloadMB(family.paramsB, q),
    lowResource: record.low_resource_required ?? false,
  };
}

/** The curated models that the given web-llm model list holds in both quantizations. */
export function curatedModels(modelList: readonly ModelRecord[]): CatalogModel[] {
  const records = new Map(modelList.map((r) => [r.model_id, r]));
  const models: CatalogModel[] = [];
  for (const family of FAMILIES) {
    const q4f16_1 = variant(family, 'q4f16_1', records);
    const q4f32_1 = variant(family, 'q4f32_1', records);
    if (q4f16_1 && q4f32_1) models.push({ ...family, variants: { q4f16_1, q4f32_1 } });
  }
  return models;
}

/** The catalog built from web-llm's prebuilt config, loaded on demand. */
export async function loadCatalog(): Promise<CatalogModel[]> {
  const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  return curatedModels(prebuiltAppConfig.model_list);
}

/** The catalog entry and quantization behind a model id, when it is a curated one. */
export function findModel(
  modelId: string,
  models: readonly CatalogModel[],
): { model: CatalogModel; quantization: Quantization } | undefined {
  for (const model of models) {
    for (const q of ['q4f16_1', 'q4f32_1'] as const) {
      if (model.variants[q].modelId === modelId) return { model, quantization: q };
    }
  }
  return undefined;
}

/** Whether a model id belongs to a thinking family, read from the id alone. */
export function isThinkingModel(modelId: string): boolean {
  const family = FAMILIES.find((f) => modelId.startsWith(`${f.family}-`));
  if (family) return family.thinking;
  // Qwen3 sizes outside the curated list (and self-hosted copies) think too.
  return /^Qwen3(\.\d+)?-/i.test(modelId);
}

/** The variant this GPU can run: f16 maths needs the shader-f16 feature. */
export function pickModelId(model: CatalogModel, report: GpuReport): string {
  return model.variants[report.quantization ?? 'q4f32_1'].modelId;
}

const GiB = 1024 * 1024 * 1024;

/**
 * WebGPU does not expose how much memory a GPU has, so this judges from what can be seen:
 * the adapter's buffer limits (a 1 GiB binding is what web-llm asks for first, and low limits mark
 * phones and small iGPUs) and, when given, `navigator.deviceMemory` in GiB (capped at 8 by browsers).
 */
export function fit(model: CatalogModel, report: GpuReport, deviceMemoryGB?: number): Fit {
  if (!report.webgpu || report.problem !== undefined || report.quantization === null)
    return 'too-big';
  const chosen = model.variants[report.quantization];
  const lowLimits = report.maxStorageBufferBindingSize < GiB || report.maxBufferSize < GiB;
  if (lowLimits && !chosen.lowResource) return 'too-big';

  let verdict: Fit = lowLimits ? 'may-not-fit' : 'fits';
  if (deviceMemoryGB !== undefined && deviceMemoryGB > 0) {
    const memoryMB = deviceMemoryGB * 1024;
    // 8 means "8 or more": only the largest models are in doubt then.
    if (deviceMemoryGB < 8 && chosen.vramMB > 0.75 * memoryMB) return 'too-big';
    if (chosen.vramMB > (deviceMemoryGB < 8 ? 0.5 : 0.75) * memoryMB) verdict = 'may-not-fit';
  } else if (chosen.vramMB > 4096) {
    // Unknown memory: beyond 4 GiB many laptop GPUs give up.
    verdict = 'may-not-fit';
  }
  return verdict;
}

/** A sensible first model: the 1.5B Qwen where it fits, the 0.5B one otherwise. */
export function defaultModel(
  models: readonly CatalogModel[],
  report: GpuReport,
  deviceMemoryGB?: number,
): CatalogModel {
  const preferred = models.find((m) => m.family === DEFAULT_FAMILY);
  const small = models.find((m) => m.family === SMALL_FAMILY);
  const fallback = small ?? preferred ?? models[0];
  if (fallback === undefined) throw new Error('The model catalog is empty.');
  if (preferred && fit(preferred, report, deviceMemoryGB) === 'fits') return preferred;
  return fallback;
}
