// Loaded by the CSP test as one of the page's own scripts: eval and new Function from here are
// what the page's policy governs (code the test runner evaluates itself is exempt).
export function tryEval(): string {
  try {
    return String(eval('1 + 1'));
  } catch (error) {
    return (error as Error).name;
  }
}

export function tryNewFunction(): string {
  try {
    return String(new Function('return 2 + 2')());
  } catch (error) {
    return (error as Error).name;
  }
}
