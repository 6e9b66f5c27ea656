// The page's content security policy, one source for the <meta> tag the build writes into
// index.html (what a static host serves) and the header the dev and preview servers send (which
// also reaches the workers: a worker takes its policy from its own script's response, never from
// the page's <meta>).
//
// Why each allowance is there:
// - 'wasm-unsafe-eval': onnxruntime-web (the embedder) and web-llm's TVM runtime compile
//   WebAssembly. It allows WebAssembly compilation only, not eval or new Function.
// - worker-src blob:: wllama (the GGUF engine) starts llama.cpp's worker from a blob: URL of the
//   code it carries; a blob: can only be made by script the policy already let run.
// - connect-src http: https:: the endpoint is any OpenAI-compatible server the user names, and the
//   models come from Hugging Face and GitHub; the network log shows what was actually contacted.
// - style-src 'unsafe-inline': KaTeX writes style attributes into the math it draws and Observable
//   Plot puts a <style> element in each chart. Inline styles cannot run code.
// - img-src / font-src data:: KaTeX's fonts and small images that the build inlines.
// Everything else is the page's own origin, and nothing may frame, embed or redirect it.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' http: https:",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
