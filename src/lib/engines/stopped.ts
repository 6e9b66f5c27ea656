// The error every engine throws for a request or a load the caller stopped.
import { CrescentError } from '../crescent/errors';
import type { AbortSignalLike } from '../crescent/types';

/** Code 'aborted'; the signal's reason, when it has one, is kept as the cause. */
export function stopped(signal?: AbortSignalLike): CrescentError {
  return new CrescentError(
    { code: 'aborted', message: 'Stopped.' },
    signal?.reason === undefined ? undefined : { cause: signal.reason },
  );
}
