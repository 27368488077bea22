// Concurrent calls asking the same question share one run of it: the first starts it, the others join
// it, and the first call after it settles starts a new one. Nothing is kept beyond that (not a cache):
// an answer is never older than the round trip its callers were waiting on anyway. Remote back-ends use
// it where many reverse lookups at once would each fetch the same list (confd conferences, one user's
// Google or Microsoft contacts).

export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, start: () => Promise<T>): Promise<T> {
    const joined = this.running.get(key);
    if (joined) return joined;
    const started = (async () => start())();
    this.running.set(key, started);
    const done = () => {
      if (this.running.get(key) === started) this.running.delete(key);
    };
    started.then(done, done);
    return started;
  }

  /** Runs under way (for tests). */
  get size(): number {
    return this.running.size;
  }
}
