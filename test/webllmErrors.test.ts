import { describe, expect, it } from 'vitest';
import { CrescentError, type ErrorCode } from '../src/lib/crescent/errors';
import { toCrescentError } from '../src/lib/engines/webllmErrors';

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

// Messages as web-llm, Chromium and Dawn word them (web-llm source, its issue tracker).
const table: [string, unknown, ErrorCode][] = [
  [
    'web-llm WebGPUNotAvailableError',
    new NamedError(
      'WebGPUNotAvailableError',
      'WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine.',
    ),
    'no-webgpu',
  ],
  ['a WebGPUNotFoundError sent as a string', 'Cannot find WebGPU in the environment', 'no-webgpu'],
  [
    'no adapter from detectGPUDevice',
    "Error: Unable to find a compatible GPU. This issue might be because your computer doesn't have a GPU",
    'no-adapter',
  ],
  [
    'ModelNotFoundError',
    new NamedError(
      'ModelNotFoundError',
      'Cannot find model record in appConfig for Foo-q4f16_1-MLC. Please check if the model ID is correct',
    ),
    'unknown-model',
  ],
  [
    'a model record without model_lib',
    'Missing `model_lib` for the model with ID "Mine". Please ensure that `model_lib` is provided',
    'unknown-model',
  ],
  [
    'ShaderF16SupportError',
    'This model requires WebGPU extension shader-f16, which is not enabled in this browser.',
    'unknown-model',
  ],
  [
    'DeviceLostError after reload',
    new NamedError(
      'DeviceLostError',
      'The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM).',
    ),
    'device-lost',
  ],
  [
    'device lost logged across the worker',
    'Device was lost during reload. This can happen due to insufficient memory or other GPU constraints. Detailed error: [object GPUDeviceLostInfo].',
    'device-lost',
  ],
  [
    'device lost during onSubmittedWorkDone',
    'OperationError: Device lost during onSubmittedWorkDone (do not use this error for recovery)',
    'device-lost',
  ],
  [
    'a request after web-llm dropped the model on device loss',
    new NamedError(
      'ModelNotLoadedError',
      'Model not loaded before trying to complete ChatCompletionRequest. Please ensure you have called MLCEngine.reload(model)',
    ),
    'device-lost',
  ],
  ['Vulkan device loss', 'vkQueueSubmit failed with VK_ERROR_DEVICE_LOST', 'device-lost'],
  ['Vulkan OOM', 'vkAllocateMemory failed with VK_ERROR_OUT_OF_DEVICE_MEMORY', 'out-of-memory'],
  ['emscripten abort on OOM', new NamedError('RuntimeError', 'Aborted(OOM)'), 'out-of-memory'],
  [
    'binding size below web-llm floor',
    'Cannot initialize runtime because of requested maxStorageBufferBindingSize exceeds limit. requested=128MB, limit=64MB.',
    'out-of-memory',
  ],
  ['JS heap', new RangeError('Array buffer allocation failed'), 'out-of-memory'],
  ['connection refused on the config', new TypeError('Failed to fetch'), 'model-unreachable'],
  [
    'Firefox network failure',
    new TypeError('NetworkError when attempting to fetch resource.'),
    'model-unreachable',
  ],
  [
    'a shard fetch that broke mid-download',
    "Error: Cannot fetch https://huggingface.co/mlc-ai/Llama-3-8B-Instruct-q4f16_1-MLC/resolve/main/params_shard_0.bin err= NetworkError: Failed to execute 'add' on 'Cache': Cache.add() encountered a network error",
    'download-failed',
  ],
  [
    'a non-200 answer to Cache.add',
    "TypeError: Failed to execute 'add' on 'Cache': Request failed",
    'model-unreachable',
  ],
  [
    'an integrity mismatch',
    new NamedError(
      'IntegrityError',
      'Integrity verification failed for https://x/params_shard_1.bin',
    ),
    'download-failed',
  ],
  [
    'an HTML page where the config should be',
    new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'),
    'model-unreachable',
  ],
  [
    'storage quota',
    "QuotaExceededError: Failed to execute 'add' on 'Cache': Quota exceeded.",
    'quota-exceeded',
  ],
  [
    'reload aborted by unload()',
    "AbortError: Failed to execute 'add' on 'Cache': Cache.add() was aborted",
    'aborted',
  ],
  [
    'a prompt longer than the window',
    'Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096',
    'bad-request',
  ],
  ['anything else', new Error('tokenizer exploded'), 'internal'],
];

describe('mapping web-llm failures to CrescentError', () => {
  it.each(table)('maps %s', (_label, thrown, code) => {
    const mapped = toCrescentError(thrown, { model: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC' });
    expect(mapped).toBeInstanceOf(CrescentError);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(thrown);
  });

  it('calls a failed fetch once the weight download has begun a broken download', () => {
    const mapped = toCrescentError(
      "TypeError: Failed to execute 'add' on 'Cache': Request failed",
      { downloading: true },
    );
    expect(mapped.code).toBe('download-failed');
  });

  it('calls a network failure after weights started arriving a broken download', () => {
    const mapped = toCrescentError(new TypeError('Failed to fetch'), { downloading: true });
    expect(mapped.code).toBe('download-failed');
    expect(mapped.retryable).toBe(true);
    expect(mapped.action).toBe('Check your connection and retry; downloads resume from the cache.');
  });

  it('marks unreachable models retryable and suggests a smaller model on OOM', () => {
    expect(toCrescentError('Failed to fetch').retryable).toBe(true);
    expect(toCrescentError('out of memory').action).toMatch(/smaller model/);
    expect(toCrescentError('out of memory', { model: 'Qwen3-8B-q4f16_1-MLC' }).message).toContain(
      'Qwen3-8B-q4f16_1-MLC',
    );
  });

  it('keeps the raw text of an unrecognised failure in the message', () => {
    expect(toCrescentError(new Error('tokenizer exploded')).message).toContain(
      'tokenizer exploded',
    );
  });

  it('passes a CrescentError through unchanged', () => {
    const original = new CrescentError({ code: 'aborted', message: 'Stopped.' });
    expect(toCrescentError(original)).toBe(original);
  });
});
