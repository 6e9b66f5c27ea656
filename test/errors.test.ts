import { describe, expect, it } from 'vitest';
import { CrescentError, isAbort, toErrorInfo } from '../src/lib/crescent/errors';

describe('CrescentError', () => {
  it('is a named Error carrying its kind, action and flags', () => {
    const cause = new Error('socket closed');
    const error = new CrescentError(
      {
        code: 'network',
        message: 'The server did not answer.',
        action: 'Check the address.',
        retryable: true,
        perRequest: true,
      },
      { cause },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CrescentError');
    expect(error.message).toBe('The server did not answer.');
    expect(error.cause).toBe(cause);
    expect(error.toInfo()).toEqual({
      code: 'network',
      message: 'The server did not answer.',
      action: 'Check the address.',
      retryable: true,
      perRequest: true,
    });
  });

  it('is neither retryable nor per-request unless told', () => {
    const error = new CrescentError({ code: 'internal', message: 'x' });
    expect(error.retryable).toBe(false);
    expect(error.perRequest).toBe(false);
    const told = new CrescentError({ code: 'internal', message: 'x', retryable: false });
    expect(told.retryable).toBe(false);
  });
});

describe('isAbort', () => {
  it.each([
    ['an aborted CrescentError', new CrescentError({ code: 'aborted', message: 'Stopped.' }), true],
    ['a DOM AbortError', Object.assign(new Error('aborted'), { name: 'AbortError' }), true],
    ['a plain object named AbortError', { name: 'AbortError' }, true],
    ['another CrescentError', new CrescentError({ code: 'network', message: 'x' }), false],
    [
      'a CrescentError named AbortError but of another kind',
      Object.assign(new CrescentError({ code: 'network', message: 'x' }), { name: 'AbortError' }),
      true,
    ],
    ['an ordinary Error', new Error('boom'), false],
    ['an object with another name', { name: 'TypeError' }, false],
    ['an object without a name', { message: 'AbortError' }, false],
    ['null', null, false],
    ['undefined', undefined, false],
    ['the string AbortError', 'AbortError', false],
  ])('%s: %s', (_label, error, expected) => {
    expect(isAbort(error)).toBe(expected);
  });
});

describe('toErrorInfo', () => {
  it('keeps a CrescentError as it is', () => {
    const error = new CrescentError({
      code: 'rate-limited',
      message: 'Slow down.',
      retryable: true,
    });
    expect(toErrorInfo(error)).toEqual({
      code: 'rate-limited',
      message: 'Slow down.',
      action: undefined,
      retryable: true,
      perRequest: false,
    });
  });

  it('turns any abort into a stop', () => {
    expect(toErrorInfo({ name: 'AbortError' })).toEqual({ code: 'aborted', message: 'Stopped.' });
  });

  it('turns anything else into an internal error with what to do', () => {
    expect(toErrorInfo(new Error('boom'))).toEqual({
      code: 'internal',
      message: 'boom',
      action: 'Reload the page and resume the run.',
    });
    expect(toErrorInfo('plain text')).toEqual({
      code: 'internal',
      message: 'plain text',
      action: 'Reload the page and resume the run.',
    });
  });
});
