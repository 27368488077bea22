// Deadlines of pending reverse lookups. There are thousands a second and nearly all are met well before
// they expire, so a per-lookup setTimeout/clearTimeout pair (about 0.2 µs) is not worth it: entries sit in
// a list sorted by deadline (appended at the tail in the common case, since a profile's lookups share one
// timeout) and one timer is armed for the earliest. A removed entry leaves the timer as it is; when it
// fires it expires what is due and re-arms for the next. The timer keeps the process alive only while
// some entry waits, as each lookup's own timer did.

export interface DeadlineEntry {
  /** When, on the monotonic clock of `performance.now()` (a wall clock step must not stretch a lookup). */
  readonly at: number;
  expire(): void;
  prev: DeadlineEntry | null;
  next: DeadlineEntry | null;
}

export class Deadlines {
  private head: DeadlineEntry | null = null;
  private tail: DeadlineEntry | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Calls `entry.expire()` at `entry.at` unless removed before. */
  add(entry: DeadlineEntry): void {
    const wasEmpty = this.head === null;
    let before = this.tail;
    while (before !== null && before.at > entry.at) before = before.prev;
    entry.prev = before;
    entry.next = before === null ? this.head : before.next;
    if (entry.next === null) this.tail = entry;
    else entry.next.prev = entry;
    if (before === null) this.head = entry;
    else before.next = entry;
    if (entry.at < this.timerAt) this.arm(entry.at);
    else if (wasEmpty) this.timer?.ref();
  }

  remove(entry: DeadlineEntry): void {
    if (entry.prev === null && this.head !== entry) return;
    if (entry.prev === null) this.head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === null) this.tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = entry.next = null;
    if (this.head === null) this.timer?.unref();
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.fire, Math.max(0, at - this.now()));
  }

  private readonly fire = () => {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.now();
    while (this.head !== null && this.head.at <= now) {
      const due = this.head;
      this.remove(due);
      due.expire();
    }
    if (this.head !== null) this.arm(this.head.at);
  };
}
