// Records and a fresh database for the storage tests.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../src/lib/crescent/types';
import { CrescentDb } from '../src/lib/db/schema';

/** Each test gets its own in-memory IndexedDB, so tests never see each other's rows. */
export function freshDb(): CrescentDb {
  return new CrescentDb('crescent', { indexedDB: new IDBFactory(), IDBKeyRange });
}

export function question(
  runId: string,
  seq: number,
  over: Partial<QuestionRecord> = {},
): QuestionRecord {
  return {
    runId,
    seq,
    origin: 'bait',
    attempt: 0,
    raw: `Problem: what is ${seq} + 1?`,
    text: `What is ${seq} + 1?`,
    status: 'accepted',
    embedding: new Float32Array([seq, 0.5, -0.25, 1 / 3]),
    tokens: 12,
    createdAt: 1_000 + seq,
    ...over,
  };
}

export function sample(
  runId: string,
  questionSeq: number,
  index: number,
  over: Partial<AnswerSampleRecord> = {},
): AnswerSampleRecord {
  return {
    runId,
    questionSeq,
    index,
    raw: `${questionSeq} + 1 = ${questionSeq + 1}\n#### Answer: ${questionSeq + 1}`,
    answer: String(questionSeq + 1),
    tokens: 30,
    thinkingTokens: 0,
    finishReason: 'stop',
    createdAt: 2_000 + questionSeq * 10 + index,
    ...over,
  };
}

export function pair(
  runId: string,
  questionSeq: number,
  over: Partial<QaPairRecord> = {},
): QaPairRecord {
  const answer = String(questionSeq + 1);
  return {
    runId,
    questionSeq,
    question: `What is ${questionSeq} + 1?`,
    answerText: `#### Answer: ${answer}`,
    answer,
    votes: { [answer]: 3 },
    abstained: 0,
    samples: 3,
    k: 3,
    agreement: 1,
    minVotes: 0,
    passes: true,
    model: 'test-model',
    createdAt: 3_000 + questionSeq,
    ...over,
  };
}
