// Canonical strings for answers: two answers agree exactly when their canonical strings are equal.
// Numbers compare by value (2.50 = 2.5, 3/4 = 0.75 = \frac{3}{4}); anything else as normalised text.

/** Non-integers are rounded to this many significant digits, so 0.1 + 0.2 reads as 0.3. */
const SIGNIFICANT_DIGITS = 10;

export function canonicalNumber(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(SIGNIFICANT_DIGITS));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function gcd(a: number, b: number): number {
  let [x, y] = [Math.abs(a), Math.abs(b)];
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** A terminating fraction becomes its decimal; any other stays a reduced p/q. */
export function canonicalFraction(numerator: number, denominator: number): string | null {
  if (denominator === 0) return null;
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator)) {
    return canonicalNumber(numerator / denominator);
  }
  const divisor = gcd(numerator, denominator) || 1;
  const sign = numerator * denominator < 0 ? -1 : 1;
  const p = Math.abs(numerator / divisor);
  const q = Math.abs(denominator / divisor);
  let rest = q;
  while (rest % 2 === 0) rest /= 2;
  while (rest % 5 === 0) rest /= 5;
  if (rest === 1) return canonicalNumber((sign * p) / q);
  return `${sign < 0 ? '-' : ''}${p}/${q}`;
}

/**
 * Rewrites LaTeX and typography that only dress a value up, so numbers can be read with one pattern:
 * \frac{3}{4} -> 3/4, \$ -> $, \% -> %, {,} -> ",", \text{cm} -> cm, unicode minus -> "-".
 */
export function normaliseMath(text: string): string {
  return text
    .replace(/\\\\(?=[a-zA-Z])/g, '\\') // LaTeX escaped inside a JSON string
    .replace(/\\[dt]frac/g, '\\frac')
    .replace(/\\frac\s*(\d)\s*(\d)/g, '\\frac{$1}{$2}')
    .replace(/\\sqrt\s*(\d+|[a-zA-Z])(?![a-zA-Z])/g, '\\sqrt{$1}')
    .replace(
      /\\(?:text|textbf|textit|textrm|mathrm|mathbf|mbox|operatorname)\s*\{([^{}]*)\}/g,
      ' $1 ',
    )
    .replace(/\\\$/g, '$')
    .replace(/\\%/g, '%')
    .replace(/\{,\}/g, ',')
    .replace(/\\left\b|\\right\b|\\displaystyle\b/g, '')
    .replace(/(\d)\\[,!;:](\d{3})/g, '$1$2')
    .replace(/\\[,!;:]/g, '')
    .replace(/\\[()[\]]/g, ' ')
    .replace(/\^\s*\{?\\circ\}?|°/g, '')
    .replace(/\u2212/g, '-')
    .replace(/\*\*/g, '')
    .replace(
      /(\d?)\\frac\s*\{\s*(-?[\d.,]+)\s*\}\s*\{\s*([\d.,]+)\s*\}/g,
      (_, whole: string, p: string, q: string) => (whole ? `${whole} ${p}/${q}` : `${p}/${q}`),
    );
}

const PLAIN = String.raw`(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+`;

/**
 * One value in normalised text: optional sign and currency, then a mixed number (1 1/2),
 * a fraction (3/4) or a plain number (1,234.5), then an optional percent sign.
 * A minus right after a word or a bracket is subtraction, not a sign.
 */
const VALUE_SOURCE = String.raw`(?<![\w.)\]}])(-)?(?:[$€£¥]\s?)?(-)?(?:(\d+) (\d+)\/(\d+)(?![\d.])|(${PLAIN})\s?\/\s?(${PLAIN})(?![\d.])|(${PLAIN}))(?:\s?%)?`;

export const VALUE_PATTERN = new RegExp(VALUE_SOURCE, 'g');

function toNumber(digits: string): number {
  return Number(digits.replace(/,/g, ''));
}

/** The canonical string of a VALUE_PATTERN match. */
export function canonicalOfMatch(match: RegExpMatchArray): string | null {
  const [, sign1, sign2, whole, mixedP, mixedQ, fracP, fracQ, plain] = match;
  const sign = sign1 || sign2 ? -1 : 1;
  if (whole !== undefined && mixedP !== undefined && mixedQ !== undefined) {
    const q = Number(mixedQ);
    const p = Number(mixedP);
    if (p >= q) return null;
    return canonicalFraction(sign * (Number(whole) * q + p), q);
  }
  if (fracP !== undefined && fracQ !== undefined) {
    return canonicalFraction(sign * toNumber(fracP), toNumber(fracQ));
  }
  if (plain !== undefined) return canonicalNumber(sign * toNumber(plain));
  return null;
}

/**
 * What may follow a value that is the whole answer: nothing, a full stop, or unit words ("18th",
 * "2600g", "72 Mb/hour"). A lone x, n, i... after a number makes it algebra (5x, 3i), not a unit.
 */
const TRAILING_WORDS =
  /^\s*(?:[.;!]\s*)?$|^(?:\s+|(?![xyzinkabc]\b))[A-Za-z][A-Za-z\s.-]*(?:\^\{?\d\}?\.?)?(?:\/[A-Za-z]+\.?)?$|^\/[A-Za-z]+\.?$/;

/**
 * Reads a short answer (boxed content, a JSON field): a value when the text is a value plus unit
 * words, otherwise the normalised text itself. Null when empty.
 */
export function canonicalAnswerText(text: string): string | null {
  let body = normaliseMath(text).replace(/^[\s"'$]+|[\s"'$]+$/g, '');
  const lastEquals = body.lastIndexOf('=');
  if (lastEquals !== -1) body = body.slice(lastEquals + 1).trim();
  if (body.length === 0) return null;
  const anchored = new RegExp(`^${VALUE_SOURCE}`);
  const match = anchored.exec(body);
  if (match && TRAILING_WORDS.test(body.slice(match[0].length))) {
    const value = canonicalOfMatch(match);
    if (value !== null) return value;
    // "2 3/2" is no mixed number; joined as text it would read as 23/2.
    if (match[3] !== undefined) return null;
  }
  // A sentence in a box stands for the one value it holds ("Seth is 16 years old"), and is no
  // answer when it holds none or several ("cannot be determined", "27 selfies and 18 portraits").
  const words = body.replace(/\\[A-Za-z]+/g, ' ').match(/[A-Za-z]{2,}/g) ?? [];
  if (words.length >= 3) {
    const values = [...body.matchAll(VALUE_PATTERN)];
    return values.length === 1 && values[0] ? canonicalOfMatch(values[0]) : null;
  }
  return canonicalText(body);
}

/** Non-numeric answers: no spaces, no dollar signs, no trailing full stop; null without a letter or digit. */
function canonicalText(text: string): string | null {
  const out = text.replace(/\$/g, '').replace(/\s+/g, '').replace(/\.$/, '');
  // A box holding only punctuation ("\boxed{-}") says the model gave up.
  return /[\p{L}\p{N}]/u.test(out) ? out : null;
}
