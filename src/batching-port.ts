// Sends messages over a MessagePort in batches: everything sent during one event-loop turn leaves as
// one postMessage. Under load this divides the cost of crossing threads by the batch size.
import type { MessagePort } from 'node:worker_threads';

export class BatchingPort<T> {
  private outbox: T[] = [];

  /** `replaceUnclonable` stands in for a message that cannot be cloned (it holds a function, say). */
  constructor(
    private readonly port: MessagePort,
    private readonly replaceUnclonable?: (message: T, error: unknown) => T,
  ) {}

  send(message: T): void {
    if (this.outbox.length === 0) setImmediate(this.flush);
    this.outbox.push(message);
  }

  private readonly flush = () => {
    const batch = this.outbox;
    this.outbox = [];
    try {
      this.port.postMessage(batch);
    } catch (error) {
      if (!this.replaceUnclonable) throw error;
      for (const message of batch) {
        try {
          this.port.postMessage([message]);
        } catch (cloneError) {
          this.port.postMessage([this.replaceUnclonable(message, cloneError)]);
        }
      }
    }
  };
}
