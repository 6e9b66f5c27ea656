// Why the browser would not open the database, named from the error it gave rather than guessed.
// Dexie wraps the browser's DOMException (VersionError, InvalidStateError...) in `inner`.
import { isQuotaError } from './quota';

export interface OpenFailure {
  /** The error's own name, e.g. 'VersionError'. */
  name: string;
  /** One sentence on what happened, ending with the browser's own words. */
  reason: string;
  /** What the user can do. */
  action: string;
}

/** Names that only wrap the error that says what went wrong. */
const WRAPPERS = new Set(['OpenFailedError', 'DatabaseClosedError', 'DexieError', 'Error']);
const MAX_DEPTH = 6;

interface Named {
  name: string;
  message: string;
  inner: unknown;
}

function named(value: unknown): Named | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, message, inner, cause } = value as Record<string, unknown>;
  return {
    name: typeof name === 'string' && name !== '' ? name : 'Error',
    // Dexie appends its inner error's text on further lines.
    message: (typeof message === 'string' ? message : String(value)).split('\n')[0] ?? '',
    inner: inner ?? cause,
  };
}

/** The errors in a chain of wrappers, outermost first. */
function chain(error: unknown): Named[] {
  const out: Named[] = [];
  for (let here = named(error); here && out.length < MAX_DEPTH; here = named(here.inner))
    out.push(here);
  return out;
}

/** The first error in the chain that is not a mere wrapper, else the innermost one. */
function rootCause(error: unknown): Named {
  const errors = chain(error);
  const fallback: Named = { name: 'Error', message: String(error), inner: undefined };
  let cause = errors.find((e) => !WRAPPERS.has(e.name)) ?? errors.at(-1) ?? fallback;
  // Dexie repeats a browser error in its own class of the same name; the innermost reads plainest.
  for (const next of errors.slice(errors.indexOf(cause) + 1)) {
    if (next.name !== cause.name) break;
    cause = next;
  }
  return cause;
}

const OPEN_FAILURES = new Set(['OpenFailedError', 'DatabaseClosedError', 'MissingAPIError']);

/** Whether a failed query failed because the database never opened (Dexie opens on first use). */
export function isOpenFailure(error: unknown): boolean {
  return chain(error).some((e) => OPEN_FAILURES.has(e.name));
}

/** What a failed db.open() (or a missing IndexedDB) means, from the error it gave. */
export function describeOpenFailure(error: unknown): OpenFailure {
  const cause = rootCause(error);
  const said = `(${cause.name}: ${cause.message.replace(/\.$/, '')}).`;
  if (isQuotaError(error)) {
    return {
      name: cause.name,
      reason: `The storage for this site is full, so its database would not open ${said}`,
      action: "Free disk space or clear other sites' data, then reload the page.",
    };
  }
  switch (cause.name) {
    case 'VersionError':
      return {
        name: cause.name,
        reason: `The database in this browser was written by a newer version of the app ${said}`,
        action: 'Reload the page, and close tabs that still show an older version of the app.',
      };
    case 'UpgradeError':
      return {
        name: cause.name,
        reason: `The database could not be upgraded to this version of the app ${said}`,
        action:
          'Reload the page; stored runs stay as they were until an upgrade succeeds. If it keeps failing, report this message.',
      };
    case 'InvalidStateError':
    case 'SecurityError':
      return {
        name: cause.name,
        reason: `The browser does not let this site keep a database in this window: private browsing, or site data blocked in its settings ${said}`,
        action: 'Use a normal window, or allow site data for this site, to keep runs.',
      };
    case 'MissingAPIError':
      return {
        name: cause.name,
        reason: `This browser offers no IndexedDB to this page ${said}`,
        action: 'Use a browser or window that allows site storage to keep runs.',
      };
    default:
      return {
        name: cause.name,
        reason: `The browser would not open its database ${said}`,
        action: 'Reload the page; if it happens again, restart the browser.',
      };
  }
}
