// How fast decoding could go on this GPU: each generated token reads every weight once, so decode
// speed is bounded by memory bandwidth / weight bytes. The weight bytes are estimated per engine.
import { findModel, type CatalogModel } from '../engines/catalog';
import { ggufModel } from '../engines/ggufCatalog';
import type { EngineSpec } from '../recipe/types';

export interface WeightEstimate {
  bytes: number;
  /** What the figure rests on, in words for the panel. */
  basis: string;
}

const MB = 1024 * 1024;

/** GB/s from the bytes a kernel read and wrote and the seconds it took (GB = 1e9 bytes). */
export function bandwidthGBps(bytesRead: number, bytesWritten: number, seconds: number): number {
  if (!(seconds > 0)) throw new RangeError('bandwidth needs a positive time');
  return (bytesRead + bytesWritten) / seconds / 1e9;
}

/** Tokens per second a decoder could reach if reading its weights were all it did. */
export function boundTokensPerSecond(bandwidthGBps: number, weightBytes: number): number {
  if (!(weightBytes > 0)) throw new RangeError('the bound needs a positive weight size');
  return (bandwidthGBps * 1e9) / weightBytes;
}

/**
 * Bits per weight of an MLC quantisation code: `q4f16_1` keeps 4-bit weights with one f16 scale
 * per group of 32 (4.5 bits); `q0f16` / `q0f32` are unquantised.
 */
export function mlcBitsPerWeight(quantization: string): number | null {
  const match = /^q(\d)f(16|32)(?:_\d+)?$/.exec(quantization);
  if (!match) return null;
  const weightBits = Number(match[1]);
  const scaleBits = Number(match[2]);
  return weightBits === 0 ? scaleBits : weightBits + scaleBits / 32;
}

/** Parameter count in billions read from an id such as `Qwen2.5-1.5B-Instruct-…`. */
function paramsFromId(id: string): number | null {
  const match = /-(\d+(?:\.\d+)?)B(?:-|$)/i.exec(id);
  return match ? Number(match[1]) : null;
}

function webllmWeights(modelId: string, models: readonly CatalogModel[]): WeightEstimate | null {
  const found = findModel(modelId, models);
  const quantization = found?.quantization ?? /-(q\df(?:16|32)_\d)-/.exec(modelId)?.[1];
  const paramsB = found?.model.paramsB ?? paramsFromId(modelId);
  const bits = quantization ? mlcBitsPerWeight(quantization) : null;
  if (paramsB === null || bits === null || !quantization) return null;
  return {
    bytes: (paramsB * 1e9 * bits) / 8,
    basis: `${paramsB} B parameters × ${bits} bits (${quantization})`,
  };
}

/** The bytes of weights one generated token reads, or null where they cannot be told. */
export function estimateWeights(
  engine: EngineSpec,
  models: readonly CatalogModel[],
): WeightEstimate | null {
  if (engine.kind === 'webllm') return webllmWeights(engine.model, models);
  if (engine.kind === 'wllama') {
    const known = ggufModel(engine.model);
    if (!known) return null;
    return {
      bytes: known.sizeMB * MB,
      basis: `the ${known.quantization} .gguf file's size, ${known.sizeMB} MB`,
    };
  }
  // The weights live on the server, whose memory is not this GPU's.
  return null;
}
