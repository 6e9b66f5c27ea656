import { afterEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { OpenAIEmbedder } from '../src/lib/engines/openaiEmbedder';
import { sendJson, startOpenAIServer, type FixtureServer } from './fixtures/openaiServer';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers each text with [length, 2 * length], listing the rows in reverse order. */
async function lengthEmbeddings(): Promise<FixtureServer> {
  server = await startOpenAIServer((request, res) => {
    const { input } = request.body as { input: string[] };
    const data = input.map((text, index) => ({ index, embedding: [text.length, 2 * text.length] }));
    sendJson(res, 200, { object: 'list', data: data.reverse() });
  });
  return server;
}

describe('OpenAIEmbedder', () => {
  it('batches texts, keeps their order and returns unit vectors', async () => {
    const { baseUrl, requests } = await lengthEmbeddings();
    const embedder = new OpenAIEmbedder({ baseUrl, model: 'nomic-embed-text', batchSize: 2 });
    const vectors = await embedder.embed(['a', 'bb', 'ccc', 'dddd', 'eeeee']);

    expect(requests.map((r) => (r.body as { input: string[] }).input)).toEqual([
      ['a', 'bb'],
      ['ccc', 'dddd'],
      ['eeeee'],
    ]);
    expect(requests[0]?.path).toBe('/v1/embeddings');
    expect((requests[0]?.body as { model: string }).model).toBe('nomic-embed-text');
    expect(vectors).toHaveLength(5);
    for (const vector of vectors) {
      expect(vector[0]).toBeCloseTo(1 / Math.sqrt(5), 6);
      expect(vector[1]).toBeCloseTo(2 / Math.sqrt(5), 6);
    }
    expect(embedder.dim).toBe(2);
  });

  it('learns the dimension when created', async () => {
    const { baseUrl } = await lengthEmbeddings();
    const embedder = await OpenAIEmbedder.create({ baseUrl, model: 'm' });
    expect(embedder.dim).toBe(2);
  });

  it('refuses a reply with fewer vectors than texts', async () => {
    server = await startOpenAIServer((_, res) =>
      sendJson(res, 200, { data: [{ index: 0, embedding: [1, 0] }] }),
    );
    const embedder = new OpenAIEmbedder({ baseUrl: server.baseUrl, model: 'm' });
    const error: unknown = await embedder.embed(['a', 'b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrescentError);
    expect((error as CrescentError).code).toBe('server-error');
  });

  it('retries a 503 like the chat engine does', async () => {
    server = await startOpenAIServer((request, res, { index }) => {
      if (index === 0) return sendJson(res, 503, { error: 'loading model' });
      const { input } = request.body as { input: string[] };
      sendJson(res, 200, { data: input.map((_, i) => ({ index: i, embedding: [0, 3] })) });
    });
    const embedder = new OpenAIEmbedder({
      baseUrl: server.baseUrl,
      model: 'm',
      sleep: async () => undefined,
    });
    const [vector] = await embedder.embed(['a']);
    expect(Array.from(vector ?? [])).toEqual([0, 1]);
    expect(server.requests).toHaveLength(2);
  });
});
