import { describe, expect, it } from 'vitest';
import {
  addEntries,
  explainOrigin,
  isLoopback,
  mergeRecords,
  mergeTallies,
  requestOrigin,
  type OriginTally,
} from '../src/lib/network/tally';
import { privacyClaim } from '../src/lib/network/privacyClaim';
import { originContext } from '../src/lib/network/recipeOrigins';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import type { Recipe } from '../src/lib/recipe/types';

describe('addEntries', () => {
  it('counts requests and bytes by origin, and requests whose size the browser hides', () => {
    const tally = new Map<string, OriginTally>();
    addEntries(tally, [
      { name: 'http://127.0.0.1:5173/assets/index.js', transferSize: 1200, encodedBodySize: 900 },
      { name: 'http://127.0.0.1:5173/favicon.svg', transferSize: 0, encodedBodySize: 300 },
      { name: 'https://huggingface.co/x/resolve/main/a.bin', transferSize: 0, encodedBodySize: 0 },
      { name: 'http://127.0.0.1:5173/src/main.ts' },
      { name: 'blob:http://127.0.0.1:5173/3f2a', transferSize: 50 },
      { name: 'data:text/plain,hi', transferSize: 10 },
      { name: 'not a url' },
    ]);
    expect([...tally.values()]).toEqual([
      { origin: 'http://127.0.0.1:5173', requests: 3, bytes: 1500, unsized: 1 },
      { origin: 'https://huggingface.co', requests: 1, bytes: 0, unsized: 1 },
    ]);
  });

  it('keeps counting across calls', () => {
    const tally = new Map<string, OriginTally>();
    addEntries(tally, [{ name: 'https://a.example/1', transferSize: 5 }]);
    addEntries(tally, [{ name: 'https://a.example/2', transferSize: 7 }]);
    expect(tally.get('https://a.example')).toEqual({
      origin: 'https://a.example',
      requests: 2,
      bytes: 12,
      unsized: 0,
    });
  });
});

describe('requestOrigin', () => {
  it('gives the origin of network addresses only', () => {
    expect(requestOrigin('https://hf.co:443/a?b')).toBe('https://hf.co');
    expect(requestOrigin('http://localhost:8000/v1/chat')).toBe('http://localhost:8000');
    expect(requestOrigin('wss://x.example/socket')).toBe('wss://x.example');
    expect(requestOrigin('blob:https://app.example/1')).toBeNull();
    expect(requestOrigin('chrome-extension://abc/x.js')).toBeNull();
    expect(requestOrigin('')).toBeNull();
  });
});

describe('mergeTallies', () => {
  it('adds the page and worker tallies per origin, most requests first', () => {
    const merged = mergeTallies(
      [
        { origin: 'https://b.example', requests: 1, bytes: 10, unsized: 0 },
        { origin: 'https://a.example', requests: 2, bytes: 5, unsized: 1 },
      ],
      [{ origin: 'https://b.example', requests: 4, bytes: 1, unsized: 2 }],
      [],
    );
    expect(merged).toEqual([
      { origin: 'https://b.example', requests: 5, bytes: 11, unsized: 2 },
      { origin: 'https://a.example', requests: 2, bytes: 5, unsized: 1 },
    ]);
  });

  it('orders origins with as many requests by name, and does not change its inputs', () => {
    const page = [{ origin: 'https://z.example', requests: 1, bytes: 0, unsized: 1 }];
    const worker = [{ origin: 'https://a.example', requests: 1, bytes: 0, unsized: 1 }];
    expect(mergeTallies(page, worker).map((r) => r.origin)).toEqual([
      'https://a.example',
      'https://z.example',
    ]);
    mergeTallies(page, page);
    expect(page[0]!.requests).toBe(1);
  });
});

describe('mergeRecords', () => {
  it("adds a worker's and its relay's requests by origin, each refusal once, and skips a missing one", () => {
    const worker = {
      origins: [{ origin: 'http://127.0.0.1:8000', requests: 2, bytes: 100, unsized: 0 }],
      refusals: [{ directive: 'connect-src', blocked: 'ws://evil.test' }],
    };
    const relay = {
      origins: [
        { origin: 'http://127.0.0.1:8000', requests: 30, bytes: 4000, unsized: 1 },
        { origin: 'http://127.0.0.1:9000', requests: 5, bytes: 50, unsized: 0 },
      ],
      refusals: [
        { directive: 'connect-src', blocked: 'ws://evil.test' },
        { directive: 'connect-src', blocked: 'https://other.test' },
      ],
    };
    expect(mergeRecords(worker, null, relay)).toEqual({
      origins: [
        { origin: 'http://127.0.0.1:8000', requests: 32, bytes: 4100, unsized: 1 },
        { origin: 'http://127.0.0.1:9000', requests: 5, bytes: 50, unsized: 0 },
      ],
      refusals: [
        { directive: 'connect-src', blocked: 'ws://evil.test' },
        { directive: 'connect-src', blocked: 'https://other.test' },
      ],
    });
    expect(mergeRecords(worker, null)).toEqual(worker);
  });
});

describe('explainOrigin', () => {
  const context = {
    app: 'http://127.0.0.1:5173',
    endpoints: ['http://127.0.0.1:8000/v1', 'https://gpu.example.org/v1/'],
    benchmarks: ['https://data.example.net/gsm8k/test.jsonl'],
  };

  it('names the app, the endpoints and the benchmark files it was set up with', () => {
    expect(explainOrigin('http://127.0.0.1:5173', context).kind).toBe('app');
    expect(explainOrigin('http://127.0.0.1:8000', context).kind).toBe('endpoint');
    expect(explainOrigin('https://gpu.example.org', context)).toEqual({
      kind: 'endpoint',
      why: 'the OpenAI-compatible endpoint you set',
    });
    expect(explainOrigin('https://data.example.net', context).kind).toBe('benchmark');
  });

  it('knows the model hosts by exact host or subdomain, over https only', () => {
    expect(explainOrigin('https://huggingface.co', context).kind).toBe('model-host');
    expect(explainOrigin('https://cdn-lfs.huggingface.co', context).kind).toBe('model-host');
    expect(explainOrigin('https://cas-bridge.xethub.hf.co', context).kind).toBe('model-host');
    expect(explainOrigin('https://raw.githubusercontent.com', context).why).toMatch(/web-llm/);
    expect(explainOrigin('http://huggingface.co', context).kind).toBe('unexpected');
    expect(explainOrigin('https://nothuggingface.co', context).kind).toBe('unexpected');
    expect(explainOrigin('https://huggingface.co.evil.example', context).kind).toBe('unexpected');
  });

  it('calls anything else unexpected, a port of the app or endpoint host included', () => {
    expect(explainOrigin('https://tracker.example', context)).toEqual({
      kind: 'unexpected',
      why: 'nothing this app sets up explains it',
    });
    expect(explainOrigin('http://127.0.0.1:9999', context).kind).toBe('unexpected');
  });
});

describe('isLoopback', () => {
  it('is true for this computer only', () => {
    expect(isLoopback('http://localhost:11434/v1')).toBe(true);
    expect(isLoopback('http://api.localhost/v1')).toBe(true);
    expect(isLoopback('http://127.0.0.1:8000')).toBe(true);
    expect(isLoopback('http://127.8.9.1')).toBe(true);
    expect(isLoopback('http://[::1]:8080/v1')).toBe(true);
    expect(isLoopback('http://192.168.1.20:8000')).toBe(false);
    expect(isLoopback('http://127.0.0.1.nip.io')).toBe(false);
    expect(isLoopback('https://localhost.example.com')).toBe(false);
    expect(isLoopback('no url')).toBe(false);
  });
});

function withEndpoints(chat?: string, embed?: string): Recipe {
  const base = defaultRecipe();
  return {
    ...base,
    engine: chat ? { kind: 'openai', baseUrl: chat, model: 'm' } : base.engine,
    embedder: embed ? { kind: 'openai', baseUrl: embed, model: 'e' } : base.embedder,
  };
}

describe('privacyClaim', () => {
  it('says nothing leaves the browser when models run in the tab', () => {
    const claim = privacyClaim(defaultRecipe());
    expect(claim).toMatchObject({ text: 'Nothing leaves your browser', leavesMachine: false });
  });

  it('says nothing leaves the computer for a loopback endpoint', () => {
    expect(privacyClaim(withEndpoints('http://127.0.0.1:8000/v1')).text).toBe(
      'Nothing leaves this computer',
    );
  });

  it('names every host elsewhere that prompts or questions go to', () => {
    const claim = privacyClaim(
      withEndpoints('https://gpu.example.org/v1', 'http://10.0.0.5:8080/v1'),
    );
    expect(claim.text).toBe('Prompts go only to gpu.example.org and 10.0.0.5:8080');
    expect(claim.leavesMachine).toBe(true);
    expect(privacyClaim(withEndpoints('http://localhost:1/v1', 'https://e.example/v1')).text).toBe(
      'Prompts go only to e.example',
    );
    expect(privacyClaim(withEndpoints('https://a.example/v1', 'https://a.example/v2')).text).toBe(
      'Prompts go only to a.example',
    );
  });
});

describe('originContext', () => {
  it('collects the endpoints and benchmark addresses of every recipe given', () => {
    const one = withEndpoints('http://127.0.0.1:8000/v1', 'https://e.example/v1');
    const two: Recipe = {
      ...defaultRecipe(),
      decontamination: {
        benchmarks: [{ name: 'gsm8k', url: 'https://b.example/t.jsonl' }, { name: 'mine' }],
        ngram: 8,
        similarity: 0.9,
      },
    };
    expect(originContext('http://app', [one, null, two, undefined])).toEqual({
      app: 'http://app',
      endpoints: ['http://127.0.0.1:8000/v1', 'https://e.example/v1'],
      benchmarks: ['https://b.example/t.jsonl'],
    });
  });
});
