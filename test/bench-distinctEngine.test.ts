import { describe, expect, it } from 'vitest';
import { distinctScriptedEngine } from '../bench/distinctEngine';
import { makeConfig } from '../src/lib/crescent/config';
import { MemoryRunStore } from '../src/lib/crescent/memoryStore';
import { runCrescent } from '../src/lib/crescent/run';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import { ScriptedChatEngine } from '../src/lib/engines/doubles/scriptedEngine';

const ask = [{ role: 'user' as const, content: 'Write a math word problem.' }];
const sampling = { temperature: 1, topP: 1, maxTokens: 100, seed: 7 };

describe('the benches’ scripted engine with distinct questions', () => {
  it('writes a different question for the same request asked twice', async () => {
    const engine = distinctScriptedEngine({ seed: 5, malformedRate: 0 });
    const first = await engine.complete(ask, sampling);
    const second = await engine.complete(ask, sampling);
    expect(first.text).not.toBe(second.text);
    expect(first.text).toMatch(/\(problem 1\)\?$/);
    expect(second.text).toMatch(/\(problem 2\)\?$/);
  });

  it('answers as the plain double does', async () => {
    const prompt = [{ role: 'user' as const, content: 'How many? #### Answer:' }];
    const plain = await new ScriptedChatEngine({ seed: 5 }).complete(prompt, sampling);
    const distinct = await distinctScriptedEngine({ seed: 5 }).complete(prompt, sampling);
    expect(distinct.text).toBe(plain.text);
  });

  it('rejects no question as too similar in a run of 1,000 pairs, where the plain double does', async () => {
    const rejectedAsSimilar = async (engine: ScriptedChatEngine) => {
      const config = makeConfig('distinct', {
        targetQuestions: 1000,
        similarityThreshold: 0.995,
        saturationWindow: 0,
        proposalBudget: 20_000,
      });
      const outcome = await runCrescent(config, {
        engine,
        embedder: new HashingEmbedder(384),
        store: new MemoryRunStore(),
      });
      expect(outcome.progress.passing).toBe(1000);
      return outcome.progress.rejectedBy['too-similar'] ?? 0;
    };
    expect(await rejectedAsSimilar(distinctScriptedEngine({ seed: 5 }))).toBe(0);
    expect(await rejectedAsSimilar(new ScriptedChatEngine({ seed: 5 }))).toBeGreaterThan(0);
  });
});
