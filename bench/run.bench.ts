// The orchestrator's own cost per question with instant test doubles, and what adaptive
// voting saves: the model dominates a real run, so this overhead should be negligible.
import { performance } from 'node:perf_hooks';
import { makeConfig } from '../src/lib/crescent/config';
import { MemoryRunStore } from '../src/lib/crescent/memoryStore';
import { runCrescent } from '../src/lib/crescent/run';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import { ScriptedChatEngine } from '../src/lib/engines/doubles/scriptedEngine';
import type { BenchRow } from '../scripts/bench';

async function timedRun(target: number, votes: number, adaptiveVoting: boolean) {
  const config = makeConfig('bench', {
    targetQuestions: target,
    votes,
    adaptiveVoting,
    // The scripted domain has a dozen templates; a loose threshold keeps 300 reachable.
    similarityThreshold: 0.995,
    saturationWindow: 0,
    proposalBudget: 20 * target,
  });
  const deps = {
    engine: new ScriptedChatEngine({ seed: 3 }),
    embedder: new HashingEmbedder(384),
    store: new MemoryRunStore(),
  };
  const t0 = performance.now();
  const outcome = await runCrescent(config, deps);
  return { ms: performance.now() - t0, outcome, calls: deps.engine.calls };
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const target = 300;
  const fixed = await timedRun(target, 5, false);
  const adaptive = await timedRun(target, 5, true);
  rows.push({
    name: `run overhead, ${target} questions, k=5`,
    value: adaptive.ms / target,
    unit: 'ms/question',
    note: `${adaptive.outcome.progress.proposals} proposals, doubles reply instantly`,
  });
  rows.push({
    name: 'engine requests, adaptive vs all k (k=5)',
    value: adaptive.calls / fixed.calls,
    unit: 'ratio',
    note: `${adaptive.calls} vs ${fixed.calls} requests`,
  });
  rows.push({
    name: 'answer samples saved by adaptive voting (k=5)',
    value: adaptive.outcome.progress.samplesSaved / (target * 5),
    unit: 'share',
    note: 'scripted engine: 70% right answers',
  });
  return rows;
}
