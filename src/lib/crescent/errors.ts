// Typed failures shared by the core, the engines and the UI: a kind, a human message,
// and what the user can do about it. Rebuilt as real errors on each side of the worker.

export type ErrorCode =
  | 'no-webgpu'
  | 'no-adapter'
  | 'unknown-model'
  | 'model-unreachable'
  | 'download-failed'
  | 'out-of-memory'
  | 'device-lost'
  | 'cors-blocked'
  | 'mixed-content'
  | 'rate-limited'
  | 'server-error'
  | 'bad-request'
  | 'network'
  | 'aborted'
  | 'quota-exceeded'
  | 'storage'
  | 'run-locked'
  | 'invalid-recipe'
  | 'invalid-import'
  | 'invalid-edit'
  | 'internal';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** What the user can do next, in one sentence. */
  action?: string;
  /** Worth retrying the same request (the caller decides how often). */
  retryable?: boolean;
  /** Only this request failed; the run can go on without it. */
  perRequest?: boolean;
}

export class CrescentError extends Error implements ErrorInfo {
  readonly code: ErrorCode;
  readonly action?: string;
  readonly retryable: boolean;
  readonly perRequest: boolean;

  constructor(info: ErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.name = 'CrescentError';
    this.code = info.code;
    this.action = info.action;
    this.retryable = info.retryable ?? false;
    this.perRequest = info.perRequest ?? false;
  }

  toInfo(): ErrorInfo {
    return {
      code: this.code,
      message: this.message,
      action: this.action,
      retryable: this.retryable,
      perRequest: this.perRequest,
    };
  }
}

export function isAbort(error: unknown): boolean {
  return (
    (error instanceof CrescentError && error.code === 'aborted') ||
    (typeof error === 'object' &&
      error !== null &&
      'name' in error &&
      (error as { name: unknown }).name === 'AbortError')
  );
}

/** Any thrown value as ErrorInfo, for crossing a worker boundary or storing with a run. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof CrescentError) return error.toInfo();
  if (isAbort(error)) return { code: 'aborted', message: 'Stopped.' };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, action: 'Reload the page and resume the run.' };
}
