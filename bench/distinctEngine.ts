// The scripted engine with questions that stay distinct: every question it writes names the
// request it came from, so a long run never runs out of new questions and its share of rejections
// stays that of a short one (the plain double's dozen templates repeat, and more so the longer
// the run). Answers are left as the double writes them.
import {
  ScriptedChatEngine,
  type ScriptedEngineOptions,
} from '../src/lib/engines/doubles/scriptedEngine';

export function distinctScriptedEngine(options: ScriptedEngineOptions = {}): ScriptedChatEngine {
  return new ScriptedChatEngine({
    ...options,
    alter: (reply, info) => {
      if (info.kind === 'answer' || !reply.text.includes('?')) return reply;
      // Before the question mark, so the cleaned question keeps it.
      const text = reply.text.replace(/\?(?=[^?]*$)/, ` (problem ${info.call})?`);
      return { ...reply, text };
    },
  });
}
