// Typed errors across the worker boundary. comlink's own handler sends only message and name,
// so a CrescentError would arrive as a plain Error and lose its code and action.
import { transferHandlers, type TransferHandler } from 'comlink';
import { CrescentError, toErrorInfo, type ErrorInfo } from '../crescent/errors';

/** comlink's default wire shape, kept readable in case the other side never registered ours. */
interface ComlinkThrown {
  isError: boolean;
  value: unknown;
}

interface WireThrown {
  crescent: ErrorInfo;
}

/** comlink wraps every thrown value as `{ value }` plus a private marker before serialising. */
interface ThrownWrapper {
  value: unknown;
}

/** Any thrown value as a CrescentError: itself, or 'internal' with the original message. */
export function rebuildError(error: unknown): CrescentError {
  if (error instanceof CrescentError) return error;
  return new CrescentError(toErrorInfo(error), { cause: error });
}

function isWireThrown(value: unknown): value is WireThrown {
  return typeof value === 'object' && value !== null && 'crescent' in value;
}

function isComlinkThrown(value: unknown): value is ComlinkThrown {
  return typeof value === 'object' && value !== null && 'isError' in value && 'value' in value;
}

/** Turns whatever came over the wire back into the error the other side threw. */
export function errorFromWire(serialized: unknown): CrescentError {
  if (isWireThrown(serialized)) return new CrescentError(serialized.crescent);
  if (isComlinkThrown(serialized)) {
    const { value } = serialized;
    const message =
      typeof value === 'object' && value !== null && 'message' in value
        ? String(value.message)
        : String(value);
    return rebuildError(serialized.isError ? new Error(message) : value);
  }
  return rebuildError(serialized);
}

let registered = false;

/**
 * Replaces comlink's 'throw' handler on this side of the boundary; both the worker and the client
 * call it. The built-in detection is reused because comlink's marker symbol is not exported.
 */
export function registerErrorTransfer(): void {
  if (registered) return;
  const builtin = transferHandlers.get('throw');
  if (!builtin) throw new Error('comlink has no "throw" transfer handler to replace.');
  const handler: TransferHandler<ThrownWrapper, WireThrown | ComlinkThrown> = {
    canHandle: (value): value is ThrownWrapper => builtin.canHandle(value),
    serialize: ({ value }) => [{ crescent: toErrorInfo(value) }, []],
    deserialize: (serialized) => {
      throw errorFromWire(serialized);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
  registered = true;
}
