// KaTeX, loaded on first use so the first page stays small. Model text is untrusted: no `trust`
// (so no \href, \url, \htmlClass or \includegraphics), errors drawn as text instead of thrown, and
// macro expansion and sizes capped so a hostile reply cannot stall the page.
type Render = (tex: string, display: boolean) => string;

let loading: Promise<Render> | undefined;

export function loadKatex(): Promise<Render> {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(
    ([mod]) =>
      (tex: string, display: boolean) =>
        mod.default.renderToString(tex, {
          displayMode: display,
          throwOnError: false,
          trust: false,
          strict: 'ignore',
          maxExpand: 200,
          maxSize: 20,
          output: 'htmlAndMathml',
        }),
  );
  return loading;
}
