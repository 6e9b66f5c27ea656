// The embedder bench's browser side: the Vite dev server with the app's config, made
// cross-origin isolated (COOP/COEP) so onnxruntime-web may start threads, serving the real
// MiniLM files from the same origin; Debian's Chromium opens the bench page, whose workers run
// the app's embedder.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { chromiumArgs } from '../playwright.config';

export const MODELS_PATH = '/bench-models/';

/** Serves `root` under MODELS_PATH. */
function modelFiles(root: string): Plugin {
  return {
    name: 'bench-model-files',
    configureServer(server) {
      server.middlewares.use(MODELS_PATH, (req, res, next) => {
        const path = normalize(join(root, decodeURIComponent(req.url?.split('?')[0] ?? '')));
        if (!path.startsWith(root)) return next();
        stat(path).then(
          (s) => {
            if (!s.isFile()) return next();
            res.writeHead(200, {
              'Content-Length': s.size,
              'Content-Type': 'application/octet-stream',
            });
            createReadStream(path).pipe(res);
          },
          () => next(),
        );
      });
    },
  };
}

export interface BenchBrowser {
  page: Page;
  close(): Promise<void>;
}

export async function openBenchPage(modelRoot: string, port: number): Promise<BenchBrowser> {
  const server: ViteDevServer = await createServer({
    configFile: 'vite.config.ts',
    logLevel: 'error',
    plugins: [modelFiles(modelRoot)],
    server: {
      host: '127.0.0.1',
      port,
      strictPort: true,
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
    },
  });
  await server.listen();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
      headless: true,
    });
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`page: ${m.text()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/bench/pages/embedder.html`);
    await page.waitForFunction(() => typeof window.embedderBench === 'function');
    const opened = browser;
    return {
      page,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
