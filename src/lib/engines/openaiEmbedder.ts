// Embedder for a server's OpenAI-compatible /embeddings: batched requests, vectors returned
// L2-normalised (servers differ on whether they normalise), dimension learnt from the server.
import { CrescentError } from '../crescent/errors';
import type { AbortSignalLike, Embedder } from '../crescent/types';
import { callEndpoint, type EndpointOptions } from './openaiHttp';
import { TaskQueue } from './taskQueue';

export interface OpenAIEmbedderOptions extends EndpointOptions {
  model: string;
  /** Texts per request. */
  batchSize?: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

interface WireEmbeddings {
  data?: { embedding?: unknown; index?: number }[];
}

export function normalise(values: ArrayLike<number>): Float32Array {
  const vector = Float32Array.from(values);
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

function malformed(detail: string): never {
  throw new CrescentError({
    code: 'server-error',
    message: `The embeddings reply could not be read: ${detail}.`,
    action: 'Check that the model is an embedding model and the server speaks the OpenAI API.',
  });
}

export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  private readonly options: OpenAIEmbedderOptions;
  private readonly batchSize: number;
  private readonly queue: TaskQueue;
  private dimension = 0;

  constructor(options: OpenAIEmbedderOptions) {
    this.options = options;
    this.model = options.model;
    this.batchSize = options.batchSize ?? 64;
    this.queue = new TaskQueue(options.concurrency ?? 2);
  }

  /** Connects and learns the dimension by embedding one probe text. */
  static async create(
    options: OpenAIEmbedderOptions,
    signal?: AbortSignalLike,
  ): Promise<OpenAIEmbedder> {
    const embedder = new OpenAIEmbedder(options);
    await embedder.embed(['dimension probe'], signal);
    return embedder;
  }

  /** 0 until the first reply has told it. */
  get dim(): number {
    return this.dimension;
  }

  async embed(texts: readonly string[], signal?: AbortSignalLike): Promise<Float32Array[]> {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize)
      batches.push(texts.slice(i, i + this.batchSize));
    const results = await Promise.all(batches.map((batch) => this.embedBatch(batch, signal)));
    return results.flat();
  }

  private async embedBatch(
    texts: readonly string[],
    signal?: AbortSignalLike,
  ): Promise<Float32Array[]> {
    const reply = await this.queue.run(
      () =>
        callEndpoint(
          this.options,
          { path: 'embeddings', method: 'POST', body: { model: this.model, input: texts } },
          async (response) => (await response.json()) as WireEmbeddings,
          signal,
        ),
      signal,
    );
    return this.vectors(reply, texts.length);
  }

  private vectors(reply: WireEmbeddings, expected: number): Float32Array[] {
    const rows = reply.data ?? [];
    if (rows.length !== expected) malformed(`${rows.length} vectors for ${expected} texts`);
    const ordered = rows
      .map((row, position) => ({ row, at: row.index ?? position }))
      .sort((a, b) => a.at - b.at);
    return ordered.map(({ row }) => {
      const values = row.embedding;
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'number'))
        malformed('an embedding is not a list of numbers');
      const vector = normalise(values as number[]);
      if (this.dimension === 0) this.dimension = vector.length;
      else if (vector.length !== this.dimension)
        malformed(`dimension ${vector.length}, expected ${this.dimension}`);
      return vector;
    });
  }
}
