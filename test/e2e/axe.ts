// axe-core's WCAG 2.0/2.1 A and AA rules on what a page shows now, each violation written out
// with its rule, the element (selector and markup) and, for contrast, the colours and ratios.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface ContrastData {
  fgColor?: string;
  bgColor?: string;
  contrastRatio?: number;
  expectedContrastRatio?: string;
  fontSize?: string;
  fontWeight?: string;
}

/** What a failed check measured: the contrast figures, or axe's own message. */
function measured(checks: { id: string; data: unknown; message: string }[]): string {
  return checks
    .map(({ id, data, message }) => {
      const d = (data ?? {}) as ContrastData;
      if (id === 'color-contrast' && d.contrastRatio !== undefined) {
        return (
          `text ${d.fgColor} on ${d.bgColor}: ${d.contrastRatio}:1 where ` +
          `${d.expectedContrastRatio ?? '?'} is required (${d.fontSize ?? '?'}, weight ${d.fontWeight ?? '?'})`
        );
      }
      return message;
    })
    .join('; ');
}

/**
 * The violations on the page (or only inside the `within` selectors), one string per element,
 * prefixed by `where`.
 * An empty list means the screen passes.
 */
export async function axeViolations(
  page: Page,
  where: string,
  within: string[] = [],
): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_21_AA);
  for (const selector of within) builder = builder.include(selector);
  const { violations } = await builder.analyze();
  return violations.flatMap((v) =>
    v.nodes.map((node) => {
      const failed = [...node.any, ...node.all, ...node.none];
      return (
        `${where}: ${v.id} (${v.impact ?? 'no impact given'}) ${v.help}\n` +
        `    at ${node.target.join(' ')}: ${node.html}\n` +
        `    ${measured(failed)}`
      );
    }),
  );
}
