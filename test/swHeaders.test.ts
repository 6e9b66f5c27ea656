// The headers the service worker adds (isolation, content security), and the threads llama.cpp
// gets from them.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/csp';
import { computeThreads, SERVED_HEADERS, withServedHeaders } from '../src/lib/sw/headers';

describe('withServedHeaders', () => {
  it('adds COOP same-origin, COEP require-corp and the policy, and keeps the rest of the response', async () => {
    const original = new Response('<!doctype html><p>hi</p>', {
      status: 200,
      statusText: 'OK',
      headers: { 'Content-Type': 'text/html', 'X-Kept': 'yes' },
    });
    const isolated = withServedHeaders(original);
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isolated.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(isolated.headers.get('Content-Type')).toBe('text/html');
    expect(isolated.headers.get('X-Kept')).toBe('yes');
    expect(isolated.status).toBe(200);
    expect(isolated.statusText).toBe('OK');
    expect(await isolated.text()).toBe('<!doctype html><p>hi</p>');
  });

  it('replaces a weaker policy the host sent', () => {
    const original = new Response('x', {
      headers: { 'Cross-Origin-Embedder-Policy': 'unsafe-none' },
    });
    expect(withServedHeaders(original).headers.get('Cross-Origin-Embedder-Policy')).toBe(
      'require-corp',
    );
  });

  it('returns a response that already has every header as it is', () => {
    const original = new Response('x', { headers: { ...SERVED_HEADERS } });
    expect(withServedHeaders(original)).toBe(original);
  });

  it('passes an error response through untouched', () => {
    const error = Response.error();
    expect(withServedHeaders(error)).toBe(error);
  });

  it('keeps a 404 a 404', () => {
    const missing = withServedHeaders(new Response('no', { status: 404, statusText: 'Not Found' }));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });
});

describe('computeThreads', () => {
  it('is one without isolation, whatever the cores', () => {
    expect(computeThreads(false, 16)).toBe(1);
    expect(computeThreads(false, undefined)).toBe(1);
  });

  it('is half the logical cores with isolation, and at least one', () => {
    expect(computeThreads(true, 1)).toBe(1);
    expect(computeThreads(true, 2)).toBe(1);
    expect(computeThreads(true, 3)).toBe(1);
    expect(computeThreads(true, 4)).toBe(2);
    expect(computeThreads(true, 8)).toBe(4);
    expect(computeThreads(true, 16)).toBe(8);
  });

  it('is one when the browser does not say how many cores it has', () => {
    expect(computeThreads(true, undefined)).toBe(1);
    expect(computeThreads(true, Number.NaN)).toBe(1);
  });
});
