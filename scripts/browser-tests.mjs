// Runs the real-browser tests in Debian's Chromium (WebGPU on SwiftShader).
// Installs chromium with apt when it is missing and we are root; otherwise says what to do.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const report = process.env.BROWSER_TEST_REPORT;

function finish(passed, failed, failures) {
  if (report) {
    mkdirSync(dirname(report), { recursive: true });
    writeFileSync(report, JSON.stringify({ passed, failed, failures }));
  }
  process.exit(failed === 0 ? 0 : 1);
}

if (!existsSync(chromium)) {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    console.log('Chromium is missing: installing Debian chromium with apt-get.');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  if (!existsSync(chromium)) {
    console.error(
      `Browser tests need Chromium at ${chromium}. Install it with "sudo apt-get install chromium" ` +
        'or set CHROMIUM_PATH to a Chromium binary.',
    );
    finish(0, 1, ['chromium not found']);
  }
}

const json = '.cache/test-reports/playwright.json';
mkdirSync(dirname(json), { recursive: true });
const args = ['playwright', 'test', ...process.argv.slice(2)];
const r = spawnSync('npx', args, {
  stdio: 'inherit',
  env: { ...process.env, BROWSER_TEST_JSON: json, CHROMIUM_PATH: chromium },
});

if (!existsSync(json)) finish(0, 1, ['playwright produced no report']);
const data = JSON.parse(readFileSync(json, 'utf8'));
let passed = 0;
let failed = 0;
const failures = [];
function walk(suite, prefix) {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      const status = test.status; // expected | unexpected | flaky | skipped
      if (status === 'expected' || status === 'flaky') passed++;
      else if (status === 'unexpected') {
        failed++;
        failures.push(`${prefix}${spec.title}`);
      }
    }
  }
  for (const child of suite.suites ?? []) walk(child, `${prefix}${child.title} > `);
}
for (const suite of data.suites ?? []) walk(suite, `${suite.title} > `);
for (const e of data.errors ?? []) {
  failed++;
  failures.push(`error: ${e.message?.split('\n')[0] ?? 'unknown'}`);
}
if (r.status !== 0 && failed === 0) {
  failed++;
  failures.push('playwright exited with an error');
}
finish(passed, failed, failures);
