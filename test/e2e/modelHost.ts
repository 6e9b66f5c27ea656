// A host for the real model files the browser tests use, read from the cache outside the clone
// and served with CORS, as a model host would.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { basename, dirname, join, normalize } from 'node:path';

export interface ModelHost {
  origin: string;
  ggufUrl: string;
  miniLMUrl: string;
  close(): Promise<void>;
}

/** Serves the cached model files with CORS, as a model host would. */
export async function modelHost(gguf: string, miniLMRoot: string): Promise<ModelHost> {
  const roots: Record<string, string> = { gguf: dirname(gguf), transformers: miniLMRoot };
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
    origin,
    ggufUrl: `${origin}/gguf/${basename(gguf)}`,
    miniLMUrl: `${origin}/transformers/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
