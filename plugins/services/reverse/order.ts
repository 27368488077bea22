// How the answers of a profile's reverse sources (given in profile order) become one answer, bounded by
// a deadline: `first_answer` takes them in completion order, `priority` in profile order.
import type { SourceResult } from '../../../src/contracts.js';

/** One source's call; it never rejects (a failing source answers null / {}). */
export type Ask<T> = () => Promise<T>;
type Matches = Record<string, SourceResult>;

/** Settles with `decide(final)` as soon as it returns non-undefined after an answer, or at the deadline. */
function race<A, T>(asks: Ask<A>[], deadline: number, onAnswer: (index: number, answer: A) => void, decide: (final: boolean) => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    let pending = asks.length;
    let done = false;
    const finish = (final: boolean) => {
      const decided = decide(final || pending === 0);
      if (done || decided === undefined) return;
      done = true;
      clearTimeout(timer);
      resolve(decided);
    };
    const timer = setTimeout(() => finish(true), Math.max(0, deadline - Date.now()));
    asks.forEach((ask, index) =>
      void ask().then((answer) => {
        if (done) return;
        pending--;
        onAnswer(index, answer);
        finish(false);
      }));
    finish(false);
  });
}

/** The first non-null answer to arrive (spec §3.2). */
export function firstAnswer(asks: Ask<SourceResult | null>[], deadline: number): Promise<SourceResult | null> {
  let winner: SourceResult | null = null;
  return race(asks, deadline, (_, answer) => { winner ??= answer; }, (final) => (winner ?? (final ? null : undefined)));
}

/** The answer of the first source in profile order that matches; at the deadline, the best one received. */
export function inPriority(asks: Ask<SourceResult | null>[], deadline: number): Promise<SourceResult | null> {
  const answers: (SourceResult | null | undefined)[] = asks.map(() => undefined);
  return race(asks, deadline, (index, answer) => { answers[index] = answer; }, (final) => best(answers, final));
}

/** Per exten, merged in completion order, later answers overwriting earlier ones (spec §3.2). */
export function firstAnswers(asks: Ask<Matches>[], extens: string[], deadline: number): Promise<(SourceResult | null)[]> {
  const found = new Map<string, SourceResult>();
  const merge = (_: number, matches: Matches) => {
    for (const [exten, result] of Object.entries(matches ?? {})) found.set(exten, result);
  };
  const answer = () => extens.map((exten) => found.get(exten) ?? null);
  return race(asks, deadline, merge, (final) => (final || extens.every((exten) => found.has(exten)) ? answer() : undefined));
}

/** Per exten, the first source in profile order that matches it; at the deadline, the best one received. */
export function inPriorityMany(asks: Ask<Matches>[], extens: string[], deadline: number): Promise<(SourceResult | null)[]> {
  const answers: (Matches | undefined)[] = asks.map(() => undefined);
  return race(asks, deadline, (index, matches) => { answers[index] = matches ?? {}; }, (final) => {
    const picked = extens.map((exten) => best(answers.map((matches) => (matches === undefined ? undefined : matches[exten] ?? null)), final));
    return picked.includes(undefined) ? undefined : (picked as (SourceResult | null)[]);
  });
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
