// How the answers of a profile's reverse sources (given in profile order) become one answer, bounded by
// a deadline: `first_answer` takes them in completion order, `priority` in profile order.
import type { SourceResult } from '../../../src/contracts.js';
import { Deadlines, type DeadlineEntry } from './deadlines.js';

/** One source's call. */
export type Ask<T> = () => Promise<T>;
/** What a source whose call failed (rejected or threw) counts as having answered; by default nothing. */
export type Failed<T> = (index: number, error: unknown) => T;
type Matches = Record<string, SourceResult>;

const deadlines = new Deadlines();

/** Settles `promise` with `decide(final)` as soon as it returns non-undefined after an answer, or at the deadline. */
class Race<A, T> implements DeadlineEntry {
  readonly at: number;
  prev: DeadlineEntry | null = null;
  next: DeadlineEntry | null = null;
  readonly promise: Promise<T>;
  private resolve!: (decided: T) => void;
  private pending: number;
  private done = false;

  constructor(
    asks: Ask<A>[],
    deadline: number,
    private readonly onAnswer: (index: number, answer: A) => void,
    private readonly decide: (final: boolean) => T | undefined,
    failed: Failed<A>,
  ) {
    this.at = performance.now() + Math.max(0, deadline - Date.now());
    this.pending = asks.length;
    this.promise = new Promise((resolve) => (this.resolve = resolve));
    deadlines.add(this);
    for (let index = 0; index < asks.length; index++) {
      let asked: Promise<A>;
      try {
        asked = asks[index]!();
      } catch (error) {
        asked = Promise.reject(error);
      }
      asked.then((answer) => this.answer(index, answer), (error) => this.answer(index, failed(index, error)));
    }
    this.finish(false);
  }

  expire(): void {
    this.finish(true);
  }

  private answer(index: number, answer: A): void {
    if (this.done) return;
    this.pending--;
    this.onAnswer(index, answer);
    this.finish(false);
  }

  private finish(final: boolean): void {
    if (this.done) return;
    const decided = this.decide(final || this.pending === 0);
    if (decided === undefined) return;
    this.done = true;
    deadlines.remove(this);
    this.resolve(decided);
  }
}

function race<A, T>(asks: Ask<A>[], deadline: number, onAnswer: (index: number, answer: A) => void, decide: (final: boolean) => T | undefined, failed: Failed<A>): Promise<T> {
  return new Race(asks, deadline, onAnswer, decide, failed).promise;
}

const noResult = () => null;
const noMatches = () => ({});

/** The first non-null answer to arrive (spec §3.2). */
export function firstAnswer(asks: Ask<SourceResult | null>[], deadline: number, failed: Failed<SourceResult | null> = noResult): Promise<SourceResult | null> {
  let winner: SourceResult | null = null;
  return race(asks, deadline, (_, answer) => { winner ??= answer; }, (final) => (winner ?? (final ? null : undefined)), failed);
}

/** The answer of the first source in profile order that matches; at the deadline, the best one received. */
export function inPriority(asks: Ask<SourceResult | null>[], deadline: number, failed: Failed<SourceResult | null> = noResult): Promise<SourceResult | null> {
  const answers: (SourceResult | null | undefined)[] = asks.map(() => undefined);
  return race(asks, deadline, (index, answer) => { answers[index] = answer; }, (final) => best(answers, final), failed);
}

/** Per exten, merged in completion order, later answers overwriting earlier ones (spec §3.2). */
export function firstAnswers(asks: Ask<Matches>[], extens: string[], deadline: number, failed: Failed<Matches> = noMatches): Promise<(SourceResult | null)[]> {
  const found = new Map<string, SourceResult>();
  const merge = (_: number, matches: Matches) => {
    for (const [exten, result] of Object.entries(matches ?? {})) found.set(exten, result);
  };
  const answer = () => extens.map((exten) => found.get(exten) ?? null);
  return race(asks, deadline, merge, (final) => (final || extens.every((exten) => found.has(exten)) ? answer() : undefined), failed);
}

/** Per exten, the first source in profile order that matches it; at the deadline, the best one received. */
export function inPriorityMany(asks: Ask<Matches>[], extens: string[], deadline: number, failed: Failed<Matches> = noMatches): Promise<(SourceResult | null)[]> {
  const answers: (Matches | undefined)[] = asks.map(() => undefined);
  return race(asks, deadline, (index, matches) => { answers[index] = matches ?? {}; }, (final) => {
    const picked = extens.map((exten) => best(answers.map((matches) => (matches === undefined ? undefined : matches[exten] ?? null)), final));
    return picked.includes(undefined) ? undefined : (picked as (SourceResult | null)[]);
  }, failed);
}

/**
 * The first non-null answer in profile order once every source before it has answered (undefined =
 * not answered yet); `final` (deadline or all answered): the best one received, else null.
 */
function best(answers: (SourceResult | null | undefined)[], final: boolean): SourceResult | null | undefined {
  for (let i = 0; i < answers.length; i++) {
    if (answers[i]) return answers[i];
    if (answers[i] === undefined && !final) return undefined;
  }
  return null;
}
