// Keeps up to `concurrency` requests in flight for a run and commits their results in an order
// that does not depend on timing. Bait requests never wait on a verdict, so they are asked ahead
// (speculatively); their replies are read and embedded as they arrive, then judged strictly in
// sequence order, a window at a time, against everything accepted before them. Answer samples for
// different questions run side by side. With one request at a time this is the plain loop: answer
// each accepted question, then propose the next.
import { Ballot, askSample } from './consensus';
import { findContamination, type LoadedBenchmark } from './contamination';
import { slotKey, type ProposalSlot } from './diversify';
import { CrescentError, isAbort } from './errors';
import type { RunProgress, StopReason } from './progress';
import { judgeWindow } from './judgeWindow';
import { askProposal, readReply, type ReadProposal } from './proposal';
import type { StepDeps } from './request';
import { proposalStop, type RunState } from './runState';
import { StopSignal } from './stopSignal';
import type { AbortSignalLike, Embedder, QaPairRecord, QuestionRecord } from './types';

export type SchedulerDeps = StepDeps & {
  embedder: Embedder;
  benchmarks?: readonly LoadedBenchmark[];
};

export interface SchedulerOptions {
  concurrency: number;
  signal?: AbortSignalLike;
  setStage?: (stage: RunProgress['stage']) => void;
  /** A monotonic clock in ms, to measure the judge's share of the time; none measures nothing. */
  timer?: () => number;
  /** Lets the host's other tasks run; called every YIELD_MS of the run's clock (see RunOptions). */
  yieldToHost?: () => Promise<void>;
}

/** The longest stretch of the run's clock without stepping aside for the host. */
const YIELD_MS = 50;

/** Replies embedded in one call at most. */
const EMBED_BATCH = 64;

interface Ticket {
  slot: ProposalSlot;
  read?: ReadProposal;
  /** True once the reply is read and, when it holds a question, embedded. */
  ready: boolean;
}

export class Scheduler {
  readonly #state: RunState;
  readonly #deps: SchedulerDeps;
  readonly #options: SchedulerOptions;
  readonly #concurrency: number;
  /** Aborted on a pause or on the first failure: every request of the run listens to it. */
  readonly #stop = new StopSignal();
  /** Proposals asked for and not yet stored, by slot key. */
  readonly #tickets = new Map<string, Ticket>();
  readonly #ballots = new Map<number, Ballot>();
  readonly #toEmbed: Ticket[] = [];
  readonly #tasks = new Set<Promise<void>>();
  #inFlight = 0;
  #embedding = false;
  #failure: { error: unknown } | null = null;
  #wake: (() => void) | null = null;
  judgeMs = 0;

  constructor(state: RunState, deps: SchedulerDeps, options: SchedulerOptions) {
    this.#state = state;
    this.#options = options;
    this.#concurrency = Math.max(1, Math.floor(options.concurrency));
    this.#deps = { ...deps, signal: this.#stop };
  }

  async run(): Promise<StopReason> {
    const outer = this.#options.signal;
    const onAbort = () => {
      this.#stop.abort(outer?.reason);
      this.#notify();
    };
    if (outer?.aborted) onAbort();
    outer?.addEventListener('abort', onAbort, { once: true });
    const { yieldToHost } = this.#options;
    let yielded = this.#deps.clock.now();
    try {
      for (;;) {
        if (yieldToHost && this.#deps.clock.now() - yielded >= YIELD_MS) {
          await yieldToHost();
          yielded = this.#deps.clock.now();
        }
        if (this.#stop.aborted) break;
        this.#fill();
        const done = this.#finished();
        if (done) {
          // What is still in flight are proposals no verdict will ever need: stop them.
          this.#stop.abort(new CrescentError({ code: 'aborted', message: 'Done.' }));
          await this.#settleAll();
          if (this.#failure) throw this.#failure.error;
          return done;
        }
        await this.#nextEvent();
      }
      await this.#settleAll();
      if (this.#failure) throw this.#failure.error;
      throw this.#stop.reason ?? new CrescentError({ code: 'aborted', message: 'Stopped.' });
    } finally {
      outer?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The stop reason once nothing is left to do, null while work remains. With no vote pending
   * and proposals stopped, nothing can lift the stop: only proposals asked ahead can still be in
   * flight, and none of them will be judged.
   */
  #finished(): StopReason | null {
    if (this.#embedding || this.#state.pendingCount > 0) return null;
    if (this.#ballots.size > 0) return null;
    return proposalStop(this.#state);
  }

  /** Starts work until `concurrency` requests are in flight: answers first, then proposals. */
  #fill(): void {
    this.#commit();
    if (this.#stop.aborted) return;
    this.#embed();
    if (this.#inFlight < this.#concurrency) this.#askAnswers();
    if (this.#inFlight < this.#concurrency) this.#askProposals();
    this.#reportStage();
  }

  #askAnswers(): void {
    const { engine } = this.#deps;
    for (const question of this.#state.pendingAnswers()) {
      let ballot = this.#ballots.get(question.seq);
      if (!ballot) {
        ballot = new Ballot(question, this.#state.config, this.#state.samplesOf(question.seq));
        this.#ballots.set(question.seq, ballot);
      }
      if (ballot.settled) {
        this.#closeBallot(ballot, engine.model);
        continue;
      }
      for (const index of ballot.toAsk()) {
        if (this.#inFlight >= this.#concurrency) return;
        this.#askSample(ballot, index);
      }
    }
  }

  #askSample(ballot: Ballot, index: number): void {
    const { store, onRecord, failures } = this.#deps;
    ballot.asked(index);
    this.#request(
      () => askSample(this.#deps, this.#state.config, ballot.question, index),
      (sample) => {
        if (store.addSettlingSample && !ballot.closing && ballot.settlesWith(sample)) {
          // The last sample and the pair in one write.
          ballot.record(sample);
          ballot.closing = true;
          const pair = ballot.pair(this.#deps.engine.model, this.#deps.clock.now());
          this.#write(store.addSettlingSample(sample, pair));
          this.#state.addSample(sample);
          this.#closed(ballot, pair);
          failures.note('answer', sample.error);
          return;
        }
        this.#write(store.addSample(sample));
        this.#state.addSample(sample);
        ballot.record(sample);
        onRecord();
        if (ballot.settled) this.#closeBallot(ballot, this.#deps.engine.model);
        failures.note('answer', sample.error);
      },
      () => ballot.forget(index),
    );
  }

  #closeBallot(ballot: Ballot, model: string): void {
    if (ballot.closing) return;
    ballot.closing = true;
    const pair = ballot.pair(model, this.#deps.clock.now());
    this.#write(this.#deps.store.addPair(pair));
    this.#closed(ballot, pair);
  }

  /** A vote's pair is written: the run counts it and the ballot goes. */
  #closed(ballot: Ballot, pair: QaPairRecord): void {
    this.#state.addPair(pair);
    this.#ballots.delete(ballot.question.seq);
    this.#deps.onRecord();
  }

  /**
   * Asks for the proposals the run will judge next, in the order it will judge them: as many
   * positions ahead as the accepted questions still wanted may take, given the share of
   * proposals accepted so far.
   */
  #askProposals(): void {
    const state = this.#state;
    if (proposalStop(state) !== null) return;
    const { config } = state;
    const wanted = config.targetQuestions - state.passingCount - state.pendingCount;
    const perAccepted = (state.questions.length + 1) / (state.acceptedCount + 1);
    const ahead = Math.min(
      this.#concurrency,
      Math.ceil(wanted * perAccepted),
      config.proposalBudget - state.questions.length,
    );
    let position = 0;
    for (const slot of this.#plan()) {
      if (position++ >= ahead || this.#inFlight >= this.#concurrency) return;
      const key = slotKey(slot);
      if (this.#tickets.has(key)) continue;
      const ticket: Ticket = { slot, ready: false };
      this.#tickets.set(key, ticket);
      this.#request(
        () => askProposal(this.#deps, config, slot),
        (reply) => {
          ticket.read = readReply(config, slot, reply, this.#deps.clock.now());
          if (ticket.read.text === null) ticket.ready = true;
          else this.#toEmbed.push(ticket);
        },
        () => this.#tickets.delete(key),
      );
    }
  }

  /** The slots of the coming positions: those stored records fix, then bait requests. */
  *#plan(): Generator<ProposalSlot> {
    const known = this.#state.upcoming(this.#concurrency);
    yield* known;
    let bait = this.#state.baitCount;
    for (const slot of known) if (slot.kind === 'bait') bait = slot.bait + 1;
    for (;;) yield { kind: 'bait', bait: bait++ };
  }

  /** Embeds the replies that hold a question, all that wait in one call, one call at a time. */
  #embed(): void {
    if (this.#embedding || this.#toEmbed.length === 0) return;
    const batch = this.#toEmbed.splice(0, EMBED_BATCH);
    this.#embedding = true;
    const { embedder, benchmarks } = this.#deps;
    const { config } = this.#state;
    this.#track(async () => {
      try {
        const texts = batch.map((t) => t.read?.text ?? '');
        const vectors = await embedder.embed(texts, this.#stop);
        if (this.#stop.aborted) return;
        batch.forEach((ticket, i) => {
          const vector = vectors[i];
          const read = ticket.read;
          if (!vector || !read?.text) throw new Error('the embedder returned no vector');
          read.embedding = vector;
          read.leak =
            benchmarks && benchmarks.length > 0
              ? findContamination(read.text, vector, benchmarks, config.decontamination)
              : null;
          ticket.ready = true;
        });
      } finally {
        this.#embedding = false;
      }
    });
  }

  /** Judges and stores, in sequence order, every proposal whose turn has come and is read. */
  #commit(): void {
    if (this.#stop.aborted) return;
    const window: Ticket[] = [];
    for (const slot of this.#state.upcoming(Infinity)) {
      const ticket = this.#tickets.get(slotKey(slot));
      if (!ticket?.ready) break;
      window.push(ticket);
    }
    if (window.length === 0 || proposalStop(this.#state) !== null) return;
    // Judged and counted at once, so what a record sets off (a failure streak that stops the
    // run, a rewrite) is known before anything further is asked.
    try {
      const records = this.#judge(window);
      for (const record of records) {
        // A stop between two records leaves the rest for later: they are judged again then.
        if (this.#stop.aborted || proposalStop(this.#state) !== null) return;
        this.#store(record);
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** The window's records, judged in turn (judgeWindow.ts), the time it took counted. */
  #judge(window: readonly Ticket[]): QuestionRecord[] {
    const timer = this.#options.timer;
    const started = timer?.() ?? 0;
    const reads = window.map((ticket) => {
      if (!ticket.read) throw new Error('a proposal was judged before it was read');
      return ticket.read;
    });
    const records = judgeWindow(this.#state, reads);
    if (timer) this.judgeMs += timer() - started;
    return records;
  }

  #store(record: QuestionRecord): void {
    const { store, onRecord, failures } = this.#deps;
    const slot = this.#state.upcoming(1)[0];
    this.#write(store.addQuestion(record));
    this.#state.addQuestion(record);
    if (slot) this.#tickets.delete(slotKey(slot));
    onRecord();
    failures.note('question', record.error);
  }

  /**
   * Follows a write the run has already counted. Nothing waits for it: a record is in the run's
   * state once its write is asked for, and the next request may go out before the disk has it.
   * The store applies writes in the order asked and none after one that failed, so what a crash
   * or a full disk leaves is always a tail cut off, which a resume asks for again with the same
   * seeds. The run ends only once every write has landed, and the first that fails stops it.
   */
  #write(written: Promise<void>): void {
    void this.#track(() => written);
  }

  /**
   * Runs one request in a slot of its own, then `use` with its result. A request stopped by a
   * pause or a failure elsewhere calls `dropped` instead, so it can be asked again.
   */
  #request<T>(ask: () => Promise<T>, use: (result: T) => void, dropped: () => void) {
    this.#inFlight++;
    this.#track(async () => {
      // The slot stays taken until the result is in the run's state: what it unlocks (the next
      // draw of a vote, a rewrite) is asked before anything further ahead.
      try {
        let result: T;
        try {
          result = await ask();
        } catch (error) {
          dropped();
          throw error;
        }
        use(result);
      } finally {
        this.#inFlight--;
      }
    });
  }

  /** Runs a task of the run; its failure stops the run, and its end wakes the scheduler. */
  #track(task: () => Promise<void>): Promise<void> {
    const running = task()
      .catch((error: unknown) => this.#fail(error))
      .finally(() => {
        this.#tasks.delete(running);
        this.#notify();
      });
    this.#tasks.add(running);
    return running;
  }

  /** The first failure stops the run; aborts that a stop itself caused are no failure. */
  #fail(error: unknown): void {
    if (this.#failure || (this.#stop.aborted && isAbort(error))) return;
    if (this.#stop.aborted && this.#options.signal?.aborted) return;
    this.#failure = { error };
    this.#stop.abort(new CrescentError({ code: 'aborted', message: 'Stopped.' }));
  }

  #nextEvent(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async #settleAll(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  #reportStage(): void {
    const set = this.#options.setStage;
    if (!set) return;
    const head = this.#state.upcoming(1)[0];
    if (this.#tickets.size > 0 && head) set(head.kind === 'rewrite' ? 'rewrite' : 'propose');
    else if (this.#ballots.size > 0 || this.#state.pendingCount > 0) set('answer');
  }
}
