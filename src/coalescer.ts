// Merges the questions asked while a batch is open into one batch: it opens with the first question and
// closes when the event loop next reaches setImmediate (no timer: a lone question waits for nothing),
// or as soon as it holds `maxSize` distinct questions, so more questions open the next batch.

/** Answers `items`: each through `answer` as soon as known; those left unanswered get the fallback. */
export type BatchRunner<C, T> = (context: C, items: string[], answer: (item: string, value: T) => void) => Promise<void>;

type Waiter<T> = (value: T) => void;

interface Batch<C, T> {
  context: C;
  waiters: Map<string, Waiter<T>[]>;
}

export class Coalescer<C, T> {
  private readonly open = new Map<string, Batch<C, T>>();

  constructor(private readonly maxSize: number, private readonly fallback: T, private readonly run: BatchRunner<C, T>) {}

  /** Questions of different `key`s (with their `context`) never share a batch. */
  ask(key: string, context: C, item: string): Promise<T> {
    return new Promise((resolve) => this.wait(key, context, item, resolve));
  }

  /** The answers of several questions, in their order: one promise however many they are. */
  askAll(key: string, context: C, items: readonly string[]): Promise<T[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const values = new Array<T>(items.length);
      let left = items.length;
      items.forEach((item, i) => this.wait(key, context, item, (value) => {
        values[i] = value;
        if (--left === 0) resolve(values);
      }));
    });
  }

  private wait(key: string, context: C, item: string, waiter: Waiter<T>): void {
    let batch = this.open.get(key);
    if (!batch) {
      const opened: Batch<C, T> = { context, waiters: new Map() };
      this.open.set(key, opened);
      setImmediate(() => this.flush(key, opened));
      batch = opened;
    }
    const waiters = batch.waiters.get(item);
    if (waiters) waiters.push(waiter);
    else batch.waiters.set(item, [waiter]);
    if (batch.waiters.size >= this.maxSize) this.open.delete(key);
  }

  private flush(key: string, batch: Batch<C, T>): void {
    if (this.open.get(key) === batch) this.open.delete(key);
    // Each question is answered once: the first answer counts, the fallback goes to those left.
    const answer = (item: string, value: T) => {
      const waiters = batch.waiters.get(item);
      if (!waiters) return;
      batch.waiters.delete(item);
      waiters.forEach((waiter) => waiter(value));
    };
    const items = [...batch.waiters.keys()];
    const rest = () => [...batch.waiters.keys()].forEach((item) => answer(item, this.fallback));
    let running: Promise<void>;
    try {
      running = this.run(batch.context, items, answer);
    } catch {
      running = Promise.resolve();
    }
    running.then(rest, rest);
  }
}
