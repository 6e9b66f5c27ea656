// Reads a recipe from untrusted JSON (a file, a link, an old run): every missing field gets its
// default, and every invalid field gets its default too and is reported, so nothing is lost silently.
import * as v from 'valibot';
import { DEFAULT_EMBEDDER, DEFAULT_ENGINE, defaultRecipe } from './defaults';
import { EmbedderSchema, EngineSchema, RecipeSchema } from './schema';
import type { Recipe } from './types';

export interface RecipeIssue {
  /** Dot path of the field ('votes', 'engine.baseUrl'); '' for the recipe as a whole. */
  path: string;
  message: string;
}

export interface ParsedRecipe {
  recipe: Recipe;
  issues: RecipeIssue[];
}

type Fields = Record<string, unknown>;
type EntrySchema = v.GenericSchema;
type SpecSchema = typeof EngineSchema | typeof EmbedderSchema;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const join = (prefix: string, key: string): string => (prefix ? `${prefix}.${key}` : key);

function reportUnknown(input: Fields, known: object, prefix: string, issues: RecipeIssue[]): void {
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(known, key))
      issues.push({ path: join(prefix, key), message: 'Unknown field; ignored.' });
  }
}

/** The value when it passes its schema; otherwise undefined, with its issues recorded. */
function check(schema: EntrySchema, value: unknown, path: string, issues: RecipeIssue[]): unknown {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  for (const issue of result.issues) {
    const inner = v.getDotPath(issue);
    issues.push({ path: inner ? join(path, inner) : path, message: issue.message });
  }
  return undefined;
}

/**
 * An engine or embedder spec. An invalid optional field is dropped, an invalid required one takes
 * the default's value when the default is of the same kind; otherwise the whole default is used.
 */
function parseSpec<T extends object>(
  schema: SpecSchema,
  input: unknown,
  fallback: T,
  path: string,
  issues: RecipeIssue[],
): T {
  if (input === undefined) return { ...fallback };
  if (!isObject(input)) {
    issues.push({ path, message: 'Must be an object.' });
    return { ...fallback };
  }
  const option = schema.options.find((o) => o.entries.kind.literal === input.kind);
  if (!option) {
    const kinds = schema.options.map((o) => o.entries.kind.literal).join(', ');
    issues.push({ path: join(path, 'kind'), message: `Must be one of: ${kinds}.` });
    return { ...fallback };
  }
  const defaults: Fields = (fallback as Fields).kind === input.kind ? { ...fallback } : {};
  const out: Fields = {};
  let repairable = true;
  reportUnknown(input, option.entries, path, issues);
  // Every field is checked, even after one proves unrepairable, so all issues are reported.
  for (const [key, entry] of Object.entries(option.entries) as [string, EntrySchema][]) {
    const value = input[key];
    const optional = entry.type === 'optional';
    if (value === undefined && optional) continue;
    const checked = check(entry, value, join(path, key), issues);
    if (checked !== undefined) out[key] = checked;
    else if (optional) continue;
    else if (defaults[key] !== undefined) out[key] = defaults[key];
    else repairable = false;
  }
  // Every entry of the chosen variant passed its own schema (or took the default's), so `out`
  // is that variant; TypeScript cannot follow the loop.
  return repairable ? (out as T) : { ...fallback };
}

export function parseRecipe(input: unknown): ParsedRecipe {
  const issues: RecipeIssue[] = [];
  if (!isObject(input)) {
    issues.push({ path: '', message: 'A recipe must be a JSON object.' });
    return { recipe: defaultRecipe(), issues };
  }
  reportUnknown(input, RecipeSchema.entries, '', issues);
  // The domain comes first: its preset supplies the default prompts.
  const domain = check(
    RecipeSchema.entries.domain,
    input.domain === undefined ? 'math-llama3' : input.domain,
    'domain',
    issues,
  );
  const recipe = defaultRecipe(typeof domain === 'string' ? domain : undefined);
  const fields = recipe as unknown as Fields;
  for (const [key, entry] of Object.entries(RecipeSchema.entries) as [string, EntrySchema][]) {
    if (key === 'engine' || key === 'embedder' || key === 'domain') continue;
    if (input[key] === undefined) continue;
    const checked = check(entry, input[key], key, issues);
    // Each key is a Recipe field and `checked` passed that field's schema.
    if (checked !== undefined) fields[key] = checked;
  }
  recipe.engine = parseSpec(EngineSchema, input.engine, DEFAULT_ENGINE, 'engine', issues);
  recipe.embedder = parseSpec(EmbedderSchema, input.embedder, DEFAULT_EMBEDDER, 'embedder', issues);
  return { recipe, issues };
}

/** A readable one-line-per-issue summary for the UI and error messages. */
export function describeIssues(issues: readonly RecipeIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
}
