// Maps whatever web-llm throws to a CrescentError. Its errors often arrive as bare strings or
// generic Errors (they cross its worker boundary as text), so the class name and the message are
// both read, in an order where the more specific kind wins.
import { CrescentError, type ErrorInfo } from '../crescent/errors';
import { describeThrown } from './thrown';

export interface WebLLMErrorContext {
  model?: string;
  /** The weight download has begun: a network failure now is a broken download. */
  downloading?: boolean;
}

type Rule = {
  test: RegExp;
  info: (context: WebLLMErrorContext) => ErrorInfo;
};

const RETRY_DOWNLOAD = 'Check your connection and retry; downloads resume from the cache.';
const SMALLER_MODEL =
  'Pick a smaller model (fewer parameters), and close other tabs that use the GPU.';

function named(model: string | undefined): string {
  return model === undefined ? 'the model' : model;
}

const RULES: readonly Rule[] = [
  {
    test: /AbortError|was aborted|operation was aborted|signal is aborted|Engine\.unload\(\) is called/i,
    info: () => ({ code: 'aborted', message: 'Stopped.' }),
  },
  {
    test: /QuotaExceeded|quota/i,
    info: () => ({
      code: 'quota-exceeded',
      message: 'The browser ran out of storage space for the model files.',
      action: 'Free disk space or delete cached models you no longer use, then retry.',
    }),
  },
  {
    test: /WebGPUNotAvailableError|WebGPUNotFoundError|WebGPU is not supported|Cannot find WebGPU|navigator\.gpu/i,
    info: () => ({
      code: 'no-webgpu',
      message: 'This browser does not offer WebGPU.',
      action:
        'Use a recent Chrome or Edge; on Linux enable chrome://flags/#enable-unsafe-webgpu; ' +
        'or use an OpenAI-compatible endpoint instead.',
    }),
  },
  {
    test: /Unable to find a compatible GPU|requestAdapter/i,
    info: () => ({
      code: 'no-adapter',
      message: 'WebGPU is present but no GPU adapter is available.',
      action: 'Update the GPU driver or browser, or use an OpenAI-compatible endpoint instead.',
    }),
  },
  {
    // Checked before memory: web-llm's own device-lost text mentions OOM as the likely cause.
    // web-llm unloads the model by itself when the device is lost; later requests find none.
    test: /DeviceLostError|Model not loaded before trying|device (was |is )?lost|VK_ERROR_DEVICE_LOST|DXGI_ERROR_DEVICE_(REMOVED|HUNG)|GPU process (crashed|exited)/i,
    info: (c) => ({
      code: 'device-lost',
      message: `The GPU stopped responding while running ${named(c.model)}; the run is paused.`,
      action: `${SMALLER_MODEL} Then resume the run.`,
    }),
  },
  {
    test: /out of memory|out[-_ ]of[-_ ]device[-_ ]memory|\bOOM\b|failed to allocate|allocation failed|cannot allocate|maxStorageBufferBindingSize|maxBufferSize/i,
    info: (c) => ({
      code: 'out-of-memory',
      message: `The GPU does not have enough memory for ${named(c.model)}.`,
      action: SMALLER_MODEL,
    }),
  },
  {
    test: /ShaderF16SupportError|shader-f16/i,
    info: (c) => ({
      code: 'unknown-model',
      message: `${named(c.model)} needs 16-bit float shaders, which this GPU does not offer.`,
      action: 'Pick the q4f32_1 variant of the model.',
    }),
  },
  {
    test: /ModelNotFoundError|Cannot find model record|SpecifiedModelNotFound|Missing `model_lib`/i,
    info: (c) => ({
      code: 'unknown-model',
      message: `web-llm does not know the model ${named(c.model)}.`,
      action:
        'Pick a model from the list, or give the URL of a self-hosted MLC model and its model library.',
    }),
  },
  {
    test: /Unexpected token|is not valid JSON|JSON\.parse/i,
    info: (c) => ({
      code: 'model-unreachable',
      message: `The address for ${named(c.model)} did not return MLC model files.`,
      action: 'Check that the model URL points at a folder holding mlc-chat-config.json.',
    }),
  },
  {
    test: /IntegrityError|Integrity verification failed|params_shard/i,
    info: (c) => ({
      code: 'download-failed',
      message: `Downloading the weights of ${named(c.model)} failed.`,
      action: RETRY_DOWNLOAD,
      retryable: true,
    }),
  },
  {
    // Before the weights start, a failed fetch is the config, library or tokenizer: the address.
    test: /Failed to fetch|NetworkError|network error|Load failed|ERR_[A-Z_]+|ECONNREFUSED|ENOTFOUND|Request failed|(status|HTTP)\D{0,3}[45]\d\d|\b40[134] (Not Found|Forbidden)|Cannot fetch/i,
    info: (c) => ({
      code: c.downloading ? 'download-failed' : 'model-unreachable',
      message: c.downloading
        ? `The download of ${named(c.model)} was interrupted.`
        : `Could not reach the files of ${named(c.model)}.`,
      action: RETRY_DOWNLOAD,
      retryable: true,
    }),
  },
  {
    test: /ContextWindowSizeExceeded|exceed(s|ed)? (the )?context window/i,
    info: () => ({
      code: 'bad-request',
      message: 'The prompt is longer than the model can read.',
      action: 'Shorten the prompt or lower the token limit.',
      perRequest: true,
    }),
  },
];

export function toCrescentError(error: unknown, context: WebLLMErrorContext = {}): CrescentError {
  if (error instanceof CrescentError) return error;
  const text = describeThrown(error);
  const rule = RULES.find((r) => r.test.test(text));
  const info: ErrorInfo = rule
    ? rule.info(context)
    : {
        code: 'internal',
        message: `web-llm failed: ${text}`,
        action: 'Reload the page and resume the run.',
      };
  return new CrescentError(info, { cause: error });
}
