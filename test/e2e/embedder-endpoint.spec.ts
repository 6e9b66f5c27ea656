// The OpenAI-compatible embedder in Chromium against a loopback server on another port (another
// origin): a server without CORS headers reads as 'cors-blocked', one that allows the page works.
import { expect, test } from '@playwright/test';
import { sendJson, startOpenAIServer, type FixtureServer } from '../fixtures/openaiServer';

const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'content-type, authorization',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

/** Embeds each text as [length, 1]; sends CORS headers only when `allowPages`. */
function embeddingServer(allowPages: boolean): Promise<FixtureServer> {
  return startOpenAIServer((request, res) => {
    const headers = allowPages ? corsHeaders : {};
    if (request.method === 'OPTIONS') {
      res.writeHead(allowPages ? 204 : 403, headers);
      return void res.end();
    }
    const { input } = request.body as { input: string[] };
    const data = input.map((text, index) => ({ index, embedding: [text.length, 1] }));
    sendJson(res, 200, { object: 'list', data }, headers);
  });
}

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('a server that does not allow the page origin is reported as a CORS refusal with the fix', async ({
  page,
  baseURL,
}) => {
  server = await embeddingServer(false);
  await page.goto('/test/e2e/pages/embedder-endpoint.html');
  await page.waitForFunction(() => typeof window.embedVia === 'function');
  const result = await page.evaluate((url) => window.embedVia(url, ['abc']), server.baseUrl);

  if (result.ok) throw new Error('the request should have been refused');
  expect(result.code).toBe('cors-blocked');
  expect(result.action).toContain(`OLLAMA_ORIGINS=${baseURL}`);
});

test('a server that allows the page origin returns unit vectors in order', async ({ page }) => {
  server = await embeddingServer(true);
  await page.goto('/test/e2e/pages/embedder-endpoint.html');
  await page.waitForFunction(() => typeof window.embedVia === 'function');
  const result = await page.evaluate((url) => window.embedVia(url, ['abc', 'a']), server.baseUrl);

  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  expect(result.dim).toBe(2);
  expect(result.vectors[0]?.[0]).toBeCloseTo(3 / Math.sqrt(10), 6);
  expect(result.vectors[1]?.[0]).toBeCloseTo(1 / Math.sqrt(2), 6);
  expect(server.requests.some((r) => r.method === 'OPTIONS')).toBe(true);
});
