// Every screen as a user sees it once it holds data, checked with axe-core against WCAG 2.1 AA:
// a 25-pair run against a scripted endpoint (with rejected, rewritten and contaminated questions,
// split and abstaining votes), runs stopped in other states, an imported file, then every section,
// expanded row and confirmation in light and dark, at desktop and phone width, on that one page.
// The states a run passes through that no test machine makes for real come from a scripted
// pipeline, and a recipe link with problems from the address.
import { expect, test, type Page } from '@playwright/test';
import type { PipelineEvent, RunProgress } from '../../src/lib/worker/protocol';
import { sendJson, startOpenAIServer, type FixtureServer } from '../fixtures/openaiServer';
import { CORS as cors, sendChat } from '../fixtures/scriptedEndpoint';
import { axeViolations } from './axe';

const BENCHMARK = [
  'Mia bakes 14 muffins every morning and sells them at the school fair for 3 dollars each. How much does she earn?',
  'A train leaves the station at 9 and travels 60 miles every hour until noon. How far does it go?',
];

/** A step-by-step answer as long as a real model's, so the answer boxes scroll. */
const WORKING = Array.from(
  { length: 30 },
  (_, i) => `Step ${i + 1}: the farmer counts the sheep in pen ${i + 1} and adds them up.`,
).join('\n');

const SCHEMES = ['light', 'dark'] as const;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

interface ChatBody {
  messages: { role: string; content: string }[];
}

/**
 * Bait replies: every third repeats the first question (too similar), the twentieth copies a benchmark
 * question with other numbers (contaminated). Answers: long working, then mostly 12; some questions
 * split 12/13 or 12/13/14, and one sample on some questions gives no number at all.
 */
function scriptedServer(): Promise<FixtureServer> {
  let baits = 0;
  let rewrites = 0;
  const axes = new Map<string, number>();
  const asked = new Map<string, number>();
  return startOpenAIServer((request, res) => {
    if (request.method === 'OPTIONS') {
      res.writeHead(204, cors);
      return void res.end();
    }
    if (request.path.endsWith('/bench/fair.jsonl')) {
      res.writeHead(200, { ...cors, 'content-type': 'application/jsonl' });
      return void res.end(BENCHMARK.map((question) => JSON.stringify({ question })).join('\n'));
    }
    if (request.path.endsWith('/models'))
      return sendJson(res, 200, { data: [{ id: 'tiny-math' }, { id: 'embed' }] }, cors);
    if (request.path.endsWith('/embeddings')) {
      const { input } = request.body as { input: string[] };
      // Equal texts share an axis (cosine 1); different texts are orthogonal (cosine 0).
      const data = input.map((text, index) => {
        const axis = axes.get(text) ?? axes.size;
        axes.set(text, axis);
        return { index, embedding: Array.from({ length: 512 }, (_, i) => (i === axis ? 1 : 0)) };
      });
      return sendJson(res, 200, { object: 'list', data }, cors);
    }
    const prompt = (request.body as ChatBody).messages.at(-1)?.content ?? '';
    let content: string;
    if (prompt.includes('step by step')) {
      const n = Number(/has (\d+) sheep/.exec(prompt)?.[1] ?? 0);
      const i = asked.get(prompt) ?? 0;
      asked.set(prompt, i + 1);
      const answers = n % 5 === 2 ? ['12', '13', '12'] : n % 5 === 4 ? ['12', '13', '14'] : ['12'];
      content =
        n % 7 === 3 && i === 0
          ? 'I am not sure how to count the sheep.'
          : `${WORKING}\n\n#### Answer: ${answers[i % answers.length] ?? '12'}`;
    } else if (prompt.includes('modify it')) {
      rewrites++;
      content = `A baker sells ${rewrites + 40} rolls in the morning and 12 more at noon. How many rolls are sold?`;
    } else {
      baits++;
      content =
        baits === 20
          ? 'Mia bakes 20 muffins every morning and sells them at the school fair for 2 dollars each. How much does she earn?'
          : `A farmer has ${baits % 3 === 0 ? 1 : baits} sheep and buys 12 more. How many sheep does the farmer have now?`;
    }
    sendChat(res, content);
  });
}

async function runTwentyFivePairs(page: Page, baseUrl: string) {
  await page.goto('/');
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByLabel('Base URL').press('Tab');
  await page.getByRole('button', { name: 'List models' }).click();
  await expect(page.getByRole('combobox', { name: /^Model/ })).toHaveValue('tiny-math');
  await page.getByLabel(/The endpoint's/).check();
  await page.getByLabel('Embedding model').fill('embed');
  await page.getByLabel('Questions wanted').fill('25');
  const decontamination = page.getByRole('region', { name: 'Decontamination' });
  await decontamination.getByText('Another benchmark, and the rule').click();
  await decontamination.getByLabel('Name').fill('fair-test');
  await decontamination.getByLabel('Address (JSON Lines)').fill(`${baseUrl}/bench/fair.jsonl`);
  await decontamination.getByRole('button', { name: 'Add address' }).click();
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 90_000 });
  await expect(page.getByText('25 of 25 pairs')).toBeVisible();
}

/** Copies of the finished run as runs stopped in the other ways, so the list shows every status. */
async function seedStoppedRuns(page: Page) {
  await page.evaluate(async () => {
    const schema = '/src/lib/db/schema.ts';
    const { CrescentDb } = (await import(/* @vite-ignore */ schema)) as {
      CrescentDb: new () => {
        runs: {
          toArray(): Promise<Record<string, unknown>[]>;
          bulkAdd(rows: Record<string, unknown>[]): Promise<unknown>;
        };
        close(): void;
      };
    };
    const db = new CrescentDb();
    const [done] = await db.runs.toArray();
    if (!done) throw new Error('no finished run to copy');
    await db.runs.bulkAdd(
      (['paused', 'interrupted', 'failed'] as const).map((status, i) => ({
        ...done,
        id: `seeded-${status}`,
        name: `A run left ${status}`,
        status,
        createdAt: Number(done['createdAt']) - (i + 1) * 60_000,
        ...(status === 'failed'
          ? { error: { code: 'network', message: 'The endpoint stopped answering.' } }
          : {}),
      })),
    );
    db.close();
  });
}

function importLines(tag: string): string {
  return [1, 2, 3]
    .map((i) =>
      JSON.stringify({
        question: `Imported ${tag} question ${i}: how many marbles are in ${i} bags of 4?`,
        answer_text: `${i} bags of 4 marbles.\n#### Answer: ${4 * i}`,
        final_answer: i === 3 ? null : String(4 * i),
        ...(i === 1 ? { votes: { '4': 3 }, samples: 3, k: 3, agreement: 1 } : {}),
      }),
    )
    .join('\n');
}

async function chooseImport(page: Page, name: string, text: string) {
  await page
    .getByLabel('JSONL file')
    .setInputFiles({ name, mimeType: 'application/jsonl', buffer: Buffer.from(text) });
}

async function openSection(page: Page, name: RegExp) {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

/**
 * Content wider than the window makes the whole page scroll sideways (WCAG 1.4.10, reflow), which
 * axe does not check: wide tables must scroll inside their own box.
 */
async function sidewaysScroll(page: Page, where: string): Promise<string[]> {
  const { content, window } = await page.evaluate(() => ({
    content: document.documentElement.scrollWidth,
    window: document.documentElement.clientWidth,
  }));
  return content > window
    ? [`${where}: the page scrolls sideways, ${content}px of content in a ${window}px window`]
    : [];
}

/** Runs `look` in light and dark at each size; `combo` names the setting, `tag` suits a file name. */
async function inEveryCombo(
  page: Page,
  look: (combo: string, tag: string) => Promise<string[]>,
): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of SCHEMES) {
    for (const size of SIZES) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize(size);
      const combo = `${colorScheme} ${size.width}x${size.height}`;
      found.push(...(await look(combo, `${colorScheme}-${size.width}`)));
    }
  }
  return found;
}

/** Waits for the run charts to be drawn and opens the tables of their numbers. */
async function openCharts(page: Page): Promise<void> {
  const charts = page.getByTestId('run-charts');
  await expect(charts.locator('figure svg')).toHaveCount(4);
  for (const details of await charts.locator('details').all()) {
    if ((await details.getAttribute('open')) === null) await details.locator('> summary').click();
  }
  // The map with a question opened from the keyboard.
  const map = charts.getByTestId('question-map');
  await expect(map.getByText(/PCA of their embeddings/)).toBeVisible({ timeout: 15_000 });
  if (!(await map.getByTestId('map-opened').isVisible())) {
    await map.getByRole('application').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect(map.getByTestId('map-opened')).toBeVisible();
  }
}

/** Every screen and state of the loaded page, audited in the scheme and size set before. */
async function auditEveryScreen(page: Page, combo: string, tag: string): Promise<string[]> {
  const found: string[] = [];
  const audit = async (where: string, ...within: string[]) => {
    found.push(...(await axeViolations(page, `${combo}, ${where}`, within)));
    found.push(...(await sidewaysScroll(page, `${combo}, ${where}`)));
  };

  await openSection(page, /^Setup/);
  for (const details of await page.locator('details').all()) {
    if ((await details.getAttribute('open')) === null) await details.locator('> summary').click();
  }
  await expect(page.locator('details:not([open])')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Other benchmarks' })).toContainText('fair-test');
  await page.getByLabel('Questions wanted').fill('0');
  await expect(page.locator('#f-target')).toHaveAttribute('aria-invalid', 'true');
  await audit('Setup, every part open, a field with a problem');
  await page.getByLabel('Questions wanted').fill('25');

  await openSection(page, /^Run\b/);
  await expect(page.getByRole('region', { name: 'Latest questions' })).toContainText(
    'leaks a benchmark question',
  );
  await openCharts(page);
  await audit('Run, finished, its charts, their tables and the map with a question open');

  await openSection(page, /^Runs & data/);
  await expect(page.getByText('Showing 25 of 25 pairs.')).toBeVisible();
  await expect(page.getByText('2 of 2 drawn').first()).toBeVisible();
  // The row stays open across sections, so a later round finds it open already.
  const row = page.locator('button.expand').nth(1);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  const detail = page.locator('tr.detail-row');
  await expect(detail).toBeVisible();
  for (const summary of await detail.locator('summary').all()) await summary.click();
  await expect(detail.locator('details:not([open])')).toHaveCount(0);
  await page.getByRole('button', { name: 'Delete A run left paused' }).click();
  await expect(page.getByText('Delete all its data?')).toBeVisible();
  await openCharts(page);
  await audit(
    'Runs & data, a pair expanded, a deletion to confirm, the charts, their tables and the map',
  );
  await page.getByRole('button', { name: 'Keep' }).click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `/tmp/ui-a11y-data-${tag}.png`, fullPage: true });
  await page.getByRole('tab', { name: /Rejected questions/ }).click();
  await expect(page.getByRole('cell', { name: 'leaks a benchmark question' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'too similar' }).first()).toBeVisible();
  await audit('rejected questions', 'section[aria-labelledby="dataset-title"]');
  await page.getByRole('tab', { name: /QA pairs/ }).click();

  await openSection(page, /^Export & import/);
  await chooseImport(
    page,
    'broken.jsonl',
    [
      importLines(tag),
      ...Array.from({ length: 30 }, (_, i) => `not json ${i}`),
      importLines(tag),
    ].join('\n'),
  );
  await expect(page.getByTestId('import-errors')).toContainText('line 33');
  await expect(page.getByText('repeats line 1')).toBeVisible();
  await audit('Export & import, a file with errors checked');
  await chooseImport(page, `${tag}.jsonl`, importLines(tag));
  await page.getByRole('button', { name: 'Import 3 pairs' }).click();
  await expect(page.getByText(`Imported 3 pairs as “Imported ${tag}.jsonl”`)).toBeVisible();
  await audit('import done', 'section[aria-labelledby="import-title"]');
  return found;
}

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('every section, expanded row and confirmation holding data meets WCAG 2.1 AA in light and dark, on desktop and phone', async ({
  page,
}) => {
  test.setTimeout(240_000);
  server = await scriptedServer();
  await runTwentyFivePairs(page, server.baseUrl);
  await seedStoppedRuns(page);
  // Paused, interrupted and failed runs all resume.
  await expect(page.getByRole('tab', { name: /Runs & data.*3 to resume/ })).toBeVisible();

  const found = await inEveryCombo(page, (combo, tag) => auditEveryScreen(page, combo, tag));
  expect(found, `${found.length} accessibility violations`).toEqual([]);
});

/** What the page shows now, audited in both schemes at both sizes. */
function auditInEveryCombo(page: Page, where: string): Promise<string[]> {
  return inEveryCombo(page, async (combo) => [
    ...(await axeViolations(page, `${combo}, ${where}`)),
    ...(await sidewaysScroll(page, `${combo}, ${where}`)),
  ]);
}

const PROGRESS: RunProgress = {
  stage: 'answer',
  proposals: 14,
  accepted: 10,
  rejected: 4,
  malformed: 1,
  rejectedBy: { 'too-similar': 2, contaminated: 1, 'no-question': 1 },
  pairs: 8,
  passing: 8,
  samples: 20,
  samplesSaved: 4,
  tokens: 5200,
  tokensPerSecond: 41.5,
  decodeTokensPerSecond: 44,
  etaSeconds: 95,
  recentAcceptance: 0.7,
};

test('a run loading, running in memory only, failed, and followed from another tab meets WCAG 2.1 AA', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const emit = (event: PipelineEvent, origin: 'this-tab' | 'other-tab' = 'this-tab') =>
    page.evaluate(([e, o]) => window.scripted.emit(e, o), [event, origin] as const);
  await page.goto('/test/e2e/pages/app-scripted.html');
  await page.getByRole('button', { name: 'Start run' }).click();
  const found: string[] = [];

  await emit({ type: 'status', runId: 'scripted-run', status: 'loading' });
  await emit({
    type: 'load',
    progress: {
      phase: 'loading',
      fraction: 0.4,
      text: 'Loading onto the GPU: shard 8 of 20',
      bytesLoaded: 400 * 1024 * 1024,
      bytesTotal: 1000 * 1024 * 1024,
      etaSeconds: 30,
      fromCache: true,
    },
  });
  await expect(page.getByText('from cache')).toBeVisible();
  found.push(...(await auditInEveryCombo(page, 'Run, loading from cache')));

  await emit({
    type: 'error',
    runId: 'scripted-run',
    error: {
      code: 'storage',
      message: 'This browser would not open its database. This run is kept in memory only.',
      action: 'Export the data before closing the tab.',
    },
  });
  await emit({ type: 'status', runId: 'scripted-run', status: 'running' });
  await emit({ type: 'progress', runId: 'scripted-run', progress: PROGRESS });
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Kept in memory only' })).toBeVisible();
  found.push(...(await auditInEveryCombo(page, 'Run, running in memory only')));

  await emit({
    type: 'error',
    runId: 'scripted-run',
    error: {
      code: 'cors-blocked',
      message: 'The endpoint refused this page (CORS).',
      action: 'Allow this origin on the server, then retry.',
    },
  });
  await emit({ type: 'status', runId: 'scripted-run', status: 'failed', reason: 'error' });
  const failure = page.getByRole('alert').filter({ hasText: 'The run reported an error' });
  await expect(failure.getByRole('button', { name: 'Retry' })).toBeVisible();
  found.push(...(await auditInEveryCombo(page, 'Run, failed')));

  await emit({ type: 'progress', runId: 'run-in-another-tab', progress: PROGRESS }, 'other-tab');
  await expect(page.getByTestId('other-tab')).toBeVisible();
  found.push(...(await auditInEveryCombo(page, 'Run, followed from another tab')));

  expect(found, `${found.length} accessibility violations`).toEqual([]);
});

test('the setup filled from a recipe link with problems meets WCAG 2.1 AA', async ({ page }) => {
  const recipe = { votes: 5, seed: 42, targetQuestions: 'many', minAgreement: 'most' };
  await page.goto(`/#recipe=${encodeURIComponent(JSON.stringify(recipe))}`);
  await expect(page.getByTestId('loaded-recipe')).toContainText('2 problems');
  const found = await auditInEveryCombo(page, 'Setup from a link with problems');
  expect(found, `${found.length} accessibility violations`).toEqual([]);
});
