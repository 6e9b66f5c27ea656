// Calls an OpenAI-compatible /embeddings endpoint from a real page, for embedder-endpoint.spec.ts.
import { CrescentError } from '../../../src/lib/crescent/errors';
import { OpenAIEmbedder } from '../../../src/lib/engines/openaiEmbedder';

export type EndpointResult =
  | { ok: true; dim: number; vectors: number[][] }
  | { ok: false; code: string; message: string; action: string };

declare global {
  interface Window {
    embedVia(baseUrl: string, texts: string[]): Promise<EndpointResult>;
  }
}

window.embedVia = async (baseUrl, texts) => {
  try {
    // No retries: a refused origin stays refused, and the test wants the verdict at once.
    const embedder = new OpenAIEmbedder({ baseUrl, model: 'nomic-embed-text', maxRetries: 0 });
    const vectors = await embedder.embed(texts);
    return { ok: true, dim: embedder.dim, vectors: vectors.map((v) => Array.from(v)) };
  } catch (error) {
    if (!(error instanceof CrescentError)) throw error;
    return { ok: false, code: error.code, message: error.message, action: error.action ?? '' };
  }
};
