// A pair as the user curated it: corrections replace the model's question, answer and worked
// answer where given; the vote fields always stay the model's own.
import type { QaPairRecord } from '../crescent/types';

export function shownQuestion(pair: QaPairRecord): string {
  return pair.curation?.question ?? pair.question;
}

export function shownAnswer(pair: QaPairRecord): string | null {
  const edited = pair.curation?.answer;
  return edited === undefined ? pair.answer : edited;
}

export function shownAnswerText(pair: QaPairRecord): string {
  return pair.curation?.answerText ?? pair.answerText;
}

export function isDeleted(pair: QaPairRecord): boolean {
  return pair.curation?.deletedAt !== undefined;
}

/** Whether any correction differs from what the model wrote. */
export function isEdited(pair: QaPairRecord): boolean {
  return (
    shownQuestion(pair) !== pair.question ||
    shownAnswer(pair) !== pair.answer ||
    shownAnswerText(pair) !== pair.answerText
  );
}

/** Whether the final answer was corrected to something other than the vote's winner. */
export function answerCorrected(pair: QaPairRecord): boolean {
  return shownAnswer(pair) !== pair.answer;
}
