// The YAML block at the top of a Hugging Face dataset card. Every string is written as a
// double-quoted scalar, so no value (a colon, a '#', a leading '-', 'yes') can change meaning.

export type FrontMatterValue =
  string | number | boolean | readonly string[] | readonly Readonly<Record<string, string>>[];

/** Size bucket as the Hub names them: n<1K, 1K<n<10K, ..., n>1T. */
export function sizeCategory(count: number): string {
  const steps = ['1K', '10K', '100K', '1M', '10M', '100M', '1B', '10B', '100B', '1T'];
  let lower = 'n';
  for (let i = 0, limit = 1000; i < steps.length; i++, limit *= 10) {
    const upper = steps[i] as string;
    if (count < limit) return lower === 'n' ? `n<${upper}` : `${lower}<n<${upper}`;
    lower = upper;
  }
  return 'n>1T';
}

// JSON's escapes (\" \\ \n \t \uXXXX) are all valid in a YAML double-quoted scalar. YAML also
// forbids raw C1 controls and treats NEL/LS/PS as line breaks in some versions: escape them.
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

function yamlString(value: string): string {
  return JSON.stringify(value).replace(
    YAML_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function yamlScalar(value: string | number | boolean): string {
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return '.nan';
  return String(value);
}

// Keys are written bare, so only plain identifiers are allowed.
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `---`, one `key: value` (or a list) per entry, `---`. */
export function frontMatter(entries: Readonly<Record<string, FrontMatterValue>>): string {
  const lines = ['---'];
  for (const [key, value] of Object.entries(entries)) {
    if (!KEY.test(key)) throw new TypeError(`front matter key ${JSON.stringify(key)}`);
    if (typeof value === 'object' && value.length === 0) {
      lines.push(`${key}: []`);
    } else if (typeof value === 'object') {
      lines.push(`${key}:`);
      for (const item of value) lines.push(...listItem(item));
    } else {
      lines.push(`${key}: ${yamlScalar(value)}`);
    }
  }
  lines.push('---');
  return lines.join('\n') + '\n';
}

function listItem(item: string | Readonly<Record<string, string>>): string[] {
  if (typeof item === 'string') return [`  - ${yamlString(item)}`];
  return Object.entries(item).map(([key, value], i) => {
    if (!KEY.test(key)) throw new TypeError(`front matter key ${JSON.stringify(key)}`);
    return `${i === 0 ? '  - ' : '    '}${key}: ${yamlString(value)}`;
  });
}
