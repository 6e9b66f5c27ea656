// A host for the real model files the browser tests use (obtained into the cache outside the
// clone on first use), served with CORS, as a model host would.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { basename, dirname, join, normalize } from 'node:path';
import { miniLM, smolLM2Gguf } from '../fixtures/realModels';

export interface ModelHost {
  /** The SmolLM2 .gguf on this machine. */
  gguf: string;
  /** The folder laid out for transformers.js, and the model's id in it. */
  miniLM: Awaited<ReturnType<typeof miniLM>>;
  origin: string;
  ggufUrl: string;
  miniLMUrl: string;
  close(): Promise<void>;
}

/** Serves the real SmolLM2 and MiniLM files with CORS. */
export async function modelHost(): Promise<ModelHost> {
  const gguf = await smolLM2Gguf();
  const embedder = await miniLM();
  const roots: Record<string, string> = { gguf: dirname(gguf), transformers: embedder.root };
  const server: Server = createServer((req, res) => {
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const [, top = '', ...rest] = decodeURIComponent(
      new URL(req.url ?? '/', 'http://x').pathname,
    ).split('/');
    const root = roots[top];
    const path = root === undefined ? undefined : normalize(join(root, ...rest));
    if (path === undefined || !path.startsWith(root!)) return void res.writeHead(404, cors).end();
    stat(path).then(
      (s) => {
        if (!s.isFile()) return void res.writeHead(404, cors).end();
        res.writeHead(200, {
          ...cors,
          'Content-Length': s.size,
          'Content-Type': 'application/octet-stream',
        });
        if (req.method === 'HEAD') return void res.end();
        createReadStream(path).pipe(res);
      },
      () => void res.writeHead(404, cors).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    gguf,
    miniLM: embedder,
    origin,
    ggufUrl: `${origin}/gguf/${basename(gguf)}`,
    miniLMUrl: `${origin}/transformers/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
