// The tests that exercise the core, for mutation testing: the rest of the suite (storage,
// engines, interface) would only slow every mutant down without reaching src/lib/crescent.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/agreement.test.ts',
      'test/contamination.test.ts',
      'test/vote.test.ts',
      'test/diversify.test.ts',
      'test/extractAnswer.test.ts',
      'test/extractAnswer-exact.test.ts',
      'test/extractQuestion.test.ts',
      'test/extractQuestion-exact.test.ts',
      'test/random.test.ts',
      'test/thinking.test.ts',
      'test/vectorIndex.test.ts',
      'test/run.test.ts',
      'test/run-*.test.ts',
      'test/resume.test.ts',
      'test/schedule.test.ts',
      'test/coreBoundary.test.ts',
      'test/errors.test.ts',
      'test/prompts.test.ts',
      'test/canonicalAnswer.test.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
  },
});
