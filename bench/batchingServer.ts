// A loopback OpenAI-compatible server that behaves like a batching inference server (vLLM,
// llama-server --parallel): up to `sequences` requests are decoded at once, each taking a prefill
// time plus its tokens at a per-sequence decode speed, and the rest wait in a queue. Replies come
// from the scripted test model, so they depend only on the prompt and the seed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScriptedChatEngine } from '../src/lib/engines/doubles/scriptedEngine';

export interface BatchingModel {
  /** Sequences decoded at once. */
  sequences: number;
  prefillMs: number;
  /** Tokens per second of one sequence, whatever the others do (a batching server's promise). */
  decodeTokensPerSecond: number;
}

export interface BatchingServer {
  baseUrl: string;
  /** Chat requests received. */
  readonly requests: number;
  /** Most requests decoding at once. */
  readonly peak: number;
  close(): Promise<void>;
}

interface ChatBody {
  messages: { role: string; content: string }[];
  seed?: number;
  max_tokens?: number;
}

export async function startBatchingServer(model: BatchingModel): Promise<BatchingServer> {
  const scripted = new ScriptedChatEngine({ seed: 7, concurrency: Number.MAX_SAFE_INTEGER });
  const waiting: (() => void)[] = [];
  let decoding = 0;
  let requests = 0;
  let peak = 0;

  const slot = async (): Promise<void> => {
    if (decoding >= model.sequences) await new Promise<void>((start) => waiting.push(start));
    decoding++;
    peak = Math.max(peak, decoding);
  };
  const release = () => {
    decoding--;
    waiting.shift()?.();
  };

  const answer = async (body: ChatBody, res: ServerResponse) => {
    requests++;
    const reply = await scripted.complete(body.messages.slice(-1) as never, {
      temperature: 1,
      topP: 1,
      maxTokens: body.max_tokens ?? 2048,
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
    });
    const tokens = reply.usage.completionTokens;
    await slot();
    try {
      const ms = model.prefillMs + (1000 * tokens) / model.decodeTokensPerSecond;
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      release();
    }
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const usage = {
      prompt_tokens: reply.usage.promptTokens,
      completion_tokens: tokens,
      total_tokens: reply.usage.promptTokens + tokens,
    };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      chunk({ role: 'assistant', content: reply.text }, null) +
        chunk({}, 'stop') +
        `data: ${JSON.stringify({ choices: [], usage })}\n\n` +
        'data: [DONE]\n\n',
    );
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (part: Buffer) => (raw += part.toString()));
    req.on('end', () => {
      if (req.url?.endsWith('/chat/completions') && req.method === 'POST') {
        answer(JSON.parse(raw) as ChatBody, res).catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    get peak() {
      return peak;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
