// What an OpenAI-compatible server's failures mean for the user: one CrescentError per kind,
// with the setting to change. Browsers hide CORS refusals behind a bare "Failed to fetch".
import { CrescentError, type ErrorInfo } from '../crescent/errors';

/** Hosts a browser treats as secure even over http, so an https page may call them. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)
  );
}

/** The page's own origin in a browser or worker; undefined in Node. */
export function currentOrigin(): string | undefined {
  const location = (globalThis as { location?: { origin?: string } }).location;
  const origin = location?.origin;
  return origin && origin !== 'null' ? origin : undefined;
}

/** The request never got an answer: server down, CORS refusal, mixed content or a dropped link. */
export function unreachableError(url: string, pageOrigin: string | undefined, cause: unknown) {
  const target = new URL(url);
  const page = pageOrigin ? new URL(pageOrigin) : undefined;
  if (
    page?.protocol === 'https:' &&
    target.protocol === 'http:' &&
    !isLoopbackHost(target.hostname)
  ) {
    return new CrescentError(
      {
        code: 'mixed-content',
        message: `This page is served over https, so the browser blocks plain-http requests to ${target.origin}.`,
        action:
          'Serve the endpoint over https (a reverse proxy such as Caddy does it), or open this app over http.',
      },
      { cause },
    );
  }
  if (page && page.origin !== target.origin) {
    const origin = page.origin;
    return new CrescentError(
      {
        code: 'cors-blocked',
        message: `Could not reach ${target.origin}: the server is not running, or it does not allow requests from ${origin} (CORS).`,
        action:
          `Start the server and allow this origin: Ollama OLLAMA_ORIGINS=${origin}; ` +
          `vLLM --allowed-origins '["${origin}"]'; llama.cpp llama-server --cors-origins ${origin} ` +
          '(older builds allow every origin).',
        retryable: true,
      },
      { cause },
    );
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CrescentError(
    {
      code: 'network',
      message: `Could not reach ${target.origin}: ${reason}.`,
      action: 'Check that the server is running and that the base URL is right.',
      retryable: true,
    },
    { cause },
  );
}

export function droppedError(url: string, cause: unknown): CrescentError {
  if ((cause as { unfinished?: unknown } | null)?.unfinished === true) {
    return new CrescentError(
      {
        code: 'network',
        message: `The server at ${new URL(url).origin} ended replies without finishing them.`,
        action:
          'A server that serves one request at a time may drop the reply it streams when another arrives (llama-cpp-python does, unless started with --interrupt_requests False): allow 1 parallel request or change that setting, then resume the run.',
        retryable: true,
      },
      { cause },
    );
  }
  return new CrescentError(
    {
      code: 'network',
      message: `The connection to ${new URL(url).origin} dropped before the reply was complete.`,
      action: 'Check the server and the network, then resume the run.',
      retryable: true,
    },
    { cause },
  );
}

export function timeoutError(url: string, timeoutMs: number): CrescentError {
  return new CrescentError({
    code: 'network',
    message: `${new URL(url).origin} sent nothing for ${Math.round(timeoutMs / 1000)} s.`,
    action: 'Check that the server is not overloaded, then resume the run.',
    retryable: true,
  });
}

/** The server's own explanation from an error body, in any of the common shapes. */
export function errorDetail(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) {
      const { error, detail, message } = parsed as Record<string, unknown>;
      if (typeof error === 'string') return error;
      if (typeof error === 'object' && error !== null) {
        const inner = (error as Record<string, unknown>).message;
        if (typeof inner === 'string') return inner;
      }
      if (typeof detail === 'string') return detail;
      if (typeof message === 'string') return message;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim().slice(0, 300);
}

/** The server's refusal as it came, kept as the cause of the CrescentError made from it. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'HttpRefusal';
  }
}

/** The status and detail behind an error from callEndpoint, when a server refused the request. */
export function refusalOf(error: unknown): HttpRefusal | undefined {
  if (!(error instanceof CrescentError)) return undefined;
  return error.cause instanceof HttpRefusal ? error.cause : undefined;
}

/** A final HTTP error status (retries, if any, are already spent). */
export function statusError(
  status: number,
  url: string,
  detail: string,
  attempts: number,
): CrescentError {
  return new CrescentError(describeStatus(status, url, detail, attempts), {
    cause: new HttpRefusal(status, detail),
  });
}

function describeStatus(status: number, url: string, detail: string, attempts: number): ErrorInfo {
  const said = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403) {
    return {
      code: 'bad-request',
      message: `The server refused the request (${status})${said}.`,
      action: 'Check the API key: the server expects a valid one.',
    };
  }
  if (status === 404) {
    if (/model/i.test(detail)) {
      return {
        code: 'unknown-model',
        message: `The server does not know this model (404)${said}.`,
        action: 'Pick a model from the list the server offers.',
      };
    }
    return {
      code: 'model-unreachable',
      message: `Nothing answers at ${url} (404).`,
      action: 'Check the base URL: it usually ends with /v1, e.g. http://localhost:11434/v1.',
    };
  }
  if (status === 429) {
    return {
      code: 'rate-limited',
      message: `The server is still rate-limiting after ${attempts} attempts${said}.`,
      action: 'Lower the concurrency, or wait a minute and resume the run.',
      retryable: true,
    };
  }
  if (status === 408) {
    return {
      code: 'network',
      message: `The server timed out the request (408) after ${attempts} attempts${said}.`,
      action: 'Check that the server is not overloaded, then resume the run.',
      retryable: true,
    };
  }
  if (status >= 500) {
    return {
      code: 'server-error',
      message: `The server failed (${status}) after ${attempts} attempts${said}.`,
      action: "Check the server's log, then resume the run.",
      retryable: true,
    };
  }
  return {
    code: 'bad-request',
    message: `The server rejected this request (${status})${said}.`,
    action: "Check the model's context length and the max-tokens setting.",
    perRequest: true,
  };
}
