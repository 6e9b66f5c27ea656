// Small instruct GGUF models that do school math, for the GGUF engine (llama.cpp in the browser),
// and how a recipe's model names a file: a catalog id, a Hub `repo/file.gguf`, or a URL.

export interface GgufModel {
  id: string;
  label: string;
  /** Hugging Face repository and file. */
  repo: string;
  file: string;
  quantization: string;
  /** Size of the file, which is about what the model needs in memory besides its context. */
  sizeMB: number;
  note: string;
}

export const GGUF_CATALOG: readonly GgufModel[] = [
  {
    id: 'SmolLM2-135M-Instruct-Q4_1',
    label: 'SmolLM2 135M Instruct',
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct-GGUF',
    file: 'smollm2-135m-instruct-q4_1.gguf',
    quantization: 'Q4_1',
    sizeMB: 98,
    note: 'Tiny and fast even on one CPU thread; rarely right at math. For trying the app.',
  },
  {
    id: 'Qwen2.5-0.5B-Instruct-Q4_K_M',
    label: 'Qwen2.5 0.5B Instruct',
    repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
    file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
    quantization: 'Q4_K_M',
    sizeMB: 491,
    note: 'Small; writes sensible word problems, answers the easy ones.',
  },
  {
    id: 'Qwen2.5-1.5B-Instruct-Q4_K_M',
    label: 'Qwen2.5 1.5B Instruct',
    repo: 'Qwen/Qwen2.5-1.5B-Instruct-GGUF',
    file: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    quantization: 'Q4_K_M',
    sizeMB: 1117,
    note: 'The best of these at grade-school math; slow on the CPU.',
  },
];

/** A recipe's model for a .gguf the user picked from their own disk: `file:<name>`. */
export const LOCAL_PREFIX = 'file:';

export function isLocalGguf(model: string): boolean {
  return model.startsWith(LOCAL_PREFIX) && model.length > LOCAL_PREFIX.length;
}

/**
 * The key a picked file is kept under in the browser's model cache. The `.invalid` host never
 * resolves: the key names the copy in the cache and is never fetched.
 */
export function localGgufKey(model: string): string {
  return `https://local.invalid/gguf/${encodeURIComponent(model.slice(LOCAL_PREFIX.length))}`;
}

export const DEFAULT_GGUF_MODEL = GGUF_CATALOG[0]!.id;

const HUB = 'https://huggingface.co';
const HUB_FILE = /^([\w.-]+\/[\w.-]+)\/([\w./-]+\.gguf)$/;

/** The catalog entry of an id, if it is one. */
export function ggufModel(id: string): GgufModel | undefined {
  return GGUF_CATALOG.find((m) => m.id === id);
}

/**
 * Where to fetch a model from: `modelUrl` when given, else the catalog's file, else `model` read
 * as a Hub `owner/repo/file.gguf`. Undefined when none of these applies.
 */
export function ggufUrl(model: string, modelUrl?: string): string | undefined {
  if (modelUrl) return modelUrl;
  if (isLocalGguf(model)) return undefined;
  const known = ggufModel(model);
  if (known) return `${HUB}/${known.repo}/resolve/main/${known.file}`;
  const hub = HUB_FILE.exec(model);
  if (hub) return `${HUB}/${hub[1]}/resolve/main/${hub[2]}`;
  return undefined;
}
