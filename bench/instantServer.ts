// A loopback OpenAI-compatible server that answers at once, for measuring what a run costs the
// browser besides the model: chat replies (a new question for each bait seed, a fixed answer
// with an occasional split vote) and 384-dim embeddings drawn from the text alone.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'content-type, authorization',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

export interface InstantServer {
  baseUrl: string;
  readonly chats: number;
  readonly embeddings: number;
  close(): Promise<void>;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A unit vector from the text alone: equal texts coincide, others are nearly orthogonal. */
function embed(text: string, dim = 384): number[] {
  let state = hash(text) || 1;
  const v: number[] = [];
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const x = (state >>> 0) / 2 ** 31 - 1;
    v.push(x);
    norm += x * x;
  }
  const scale = 1 / Math.sqrt(norm);
  return v.map((x) => Number((x * scale).toFixed(6)));
}

function chatReply(prompt: string, seed: number): string {
  const h = hash(`${seed}|${prompt}`);
  if (prompt.includes('step by step')) {
    return `Add the two amounts step by step.\n\n#### Answer: ${h % 5 === 0 ? 13 : 12}`;
  }
  return `A farmer has ${h % 1_000_003} sheep and buys 12 more. How many sheep does the farmer have now?`;
}

function send(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { ...CORS, 'content-type': 'application/json' });
  res.end(text);
}

export async function startInstantServer(): Promise<InstantServer> {
  let chats = 0;
  let embeddings = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    let raw = '';
    req.on('data', (part: Buffer) => (raw += part.toString()));
    req.on('end', () => {
      const url = req.url ?? '';
      if (url.endsWith('/models')) {
        send(res, { object: 'list', data: [{ id: 'instant' }, { id: 'embed' }] });
      } else if (url.endsWith('/embeddings')) {
        embeddings++;
        const { input } = JSON.parse(raw) as { input: string[] };
        send(res, {
          object: 'list',
          data: input.map((text, index) => ({ index, embedding: embed(text) })),
        });
      } else if (url.endsWith('/chat/completions')) {
        chats++;
        const body = JSON.parse(raw) as { messages: { content: string }[]; seed?: number };
        const content = chatReply(body.messages.at(-1)?.content ?? '', body.seed ?? 0);
        send(res, {
          id: `c${chats}`,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 40, completion_tokens: 20, total_tokens: 60 },
        });
      } else {
        res.writeHead(404, CORS);
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get chats() {
      return chats;
    },
    get embeddings() {
      return embeddings;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
