import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The core must stay runnable in Node, a worker or a test: the lint rule is its fence.
const eslint = new ESLint();

async function problems(code: string, filePath = 'src/lib/crescent/probe.ts') {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId);
}

describe('the src/lib/crescent boundary', () => {
  it('rejects imports of packages and of other app folders', async () => {
    expect(await problems("import Dexie from 'dexie';\nexport const d = Dexie;\n")).toContain(
      'no-restricted-imports',
    );
    expect(await problems("import { db } from '../db/schema';\nexport const x = db;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('rejects browser globals', async () => {
    expect(await problems('export const w = window.location;\n')).toContain(
      'no-restricted-globals',
    );
  });

  it('allows sibling modules', async () => {
    expect(
      await problems(
        "import { VectorIndex } from './vectorIndex';\nexport const V = VectorIndex;\n",
      ),
    ).toEqual([]);
  });

  it('does not fence the rest of the app', async () => {
    expect(
      await problems(
        "import Dexie from 'dexie';\nexport const d = Dexie;\n",
        'src/lib/db/probe.ts',
      ),
    ).toEqual([]);
  });
});

describe('the src/lib/engines boundary', () => {
  it('rejects imports from the worker folder, from any depth', async () => {
    const fromWorker =
      "import type { PipelineEvent } from '../worker/protocol';\nexport type E = PipelineEvent;\n";
    expect(await problems(fromWorker, 'src/lib/engines/probe.ts')).toEqual([
      'no-restricted-imports',
    ]);
    const fromDoubles =
      "import { MemoryRunLock } from '../../worker/runLock';\nexport const L = MemoryRunLock;\n";
    expect(await problems(fromDoubles, 'src/lib/engines/doubles/probe.ts')).toEqual([
      'no-restricted-imports',
    ]);
  });

  it('allows the engines their own shared types and the core', async () => {
    const code =
      "import type { GpuReport } from './reports';\nimport { CrescentError } from '../crescent/errors';\nexport type G = GpuReport;\nexport const C = CrescentError;\n";
    expect(await problems(code, 'src/lib/engines/probe.ts')).toEqual([]);
  });
});
