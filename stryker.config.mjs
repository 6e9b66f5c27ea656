// Mutation testing of the pure core: `npm run mutate`. Slow on two cores, so not part of npm test.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: ['src/lib/crescent/**/*.ts', '!src/lib/crescent/index.ts', '!src/lib/crescent/types.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.cache/stryker/report.html' },
  jsonReporter: { fileName: '.cache/stryker/report.json' },
  tempDirName: '.cache/stryker-tmp',
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: 'always',
};
