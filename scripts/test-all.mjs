// The one test command: lint, type check, Node tests, browser tests.
// Prints a closing `N passed, N failed` line and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';

const reportDir = '.cache/test-reports';
mkdirSync(reportDir, { recursive: true });

let passed = 0;
let failed = 0;
const failures = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function step(label, cmd, args) {
  if (run(label, cmd, args)) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

function countVitest(label, file) {
  if (!existsSync(file)) {
    failed++;
    failures.push(`${label} (no report)`);
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) {
      failures.push(`${label}: ${suite.name} did not load`);
    }
    for (const t of suite.assertionResults ?? []) {
      if (t.status === 'failed') failures.push(`${label}: ${t.fullName}`);
    }
  }
}

step('lint', 'npx', ['eslint', '.']);
step('format', 'npx', ['prettier', '--check', '.']);
step('svelte-check', 'npx', [
  'svelte-check',
  '--tsconfig',
  './tsconfig.json',
  '--fail-on-warnings',
]);
step('core tsconfig', 'npx', ['tsc', '-p', 'src/lib/crescent/tsconfig.json']);

const nodeReport = `${reportDir}/node.json`;
run('node tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${nodeReport}`,
]);
countVitest('node', nodeReport);

const browserReport = `${reportDir}/browser.json`;
const browserOk = run('browser tests', 'node', ['scripts/browser-tests.mjs'], {
  BROWSER_TEST_REPORT: browserReport,
});
if (existsSync(browserReport)) {
  const r = JSON.parse(readFileSync(browserReport, 'utf8'));
  passed += r.passed;
  failed += r.failed;
  for (const name of r.failures ?? []) failures.push(`browser: ${name}`);
} else if (!browserOk) {
  failed++;
  failures.push('browser tests did not run');
}

if (failures.length) {
  console.log('\nFailures:');
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
