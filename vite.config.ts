import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { CONTENT_SECURITY_POLICY } from './src/csp.ts';

/** Writes the policy into index.html ahead of every script and style. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'crescent-content-security-policy',
    transformIndexHtml: {
      order: 'pre',
      // Right after the charset, which must come first, and before any script or style.
      handler: (html) => {
        const charset = /<meta charset="[^"]*"\s*\/?>/i;
        if (!charset.test(html))
          throw new Error('index.html needs a <meta charset> to put the policy after');
        const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
        return html.replace(charset, (tag) => `${tag}\n    ${meta}`);
      },
    },
  };
}

const securityHeaders = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY };

export default defineConfig({
  plugins: [
    svelte(),
    contentSecurityPolicy(),
    // The app shell is precached, so a visited page opens, browses and exports with no network.
    // onnxruntime's 26 MB WebAssembly and llama.cpp's are cached on first use instead; web-llm
    // keeps its own cache of model weights. The service worker (src/sw.ts) also makes what it
    // serves cross-origin isolated, for threads. A new version waits for the user (registerType
    // 'prompt').
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      manifest: {
        name: 'Crescent Web',
        short_name: 'Crescent',
        description: 'Private synthetic math data, made on your own GPU.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#4338ca',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      injectManifest: {
        // Fonts as woff2 only: every browser that runs this app reads it.
        globPatterns: ['**/*.{js,mjs,css,html,svg,woff2,webmanifest}'],
        globIgnores: ['**/ort-wasm*', '**/wllama*.wasm'],
        // The lazy chunk with transformers.js and onnxruntime's loader is about 6 MB.
        maximumFileSizeToCacheInBytes: 10 * 1024 * 1024,
        // One classic script: registered without `type: 'module'`, as every browser allows.
        rollupFormat: 'iife',
      },
    }),
  ],
  server: { headers: securityHeaders },
  preview: { headers: securityHeaders },
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  optimizeDeps: { exclude: ['@huggingface/transformers', '@mlc-ai/web-llm'] },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
