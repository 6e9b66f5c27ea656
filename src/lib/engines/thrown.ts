// How an engine shows what a runtime threw, in its own error messages and when matching them.

/** "Name: message" for errors, the text itself for strings: what engines match rules against and show. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) {
    return error.message.startsWith(error.name) ? error.message : `${error.name}: ${error.message}`;
  }
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}
