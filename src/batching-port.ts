// Sends messages over a MessagePort in batches: everything sent during one event-loop turn leaves as
// one postMessage. Under load this divides the cost of crossing threads by the batch size.
import type { MessagePort } from 'node:worker_threads';

export class BatchingPort<T> {
  private outbox: T[] = [];

  constructor(private readonly port: MessagePort) {}

  send(message: T): void {
    if (this.outbox.length === 0) setImmediate(this.flush);
    this.outbox.push(message);
  }

  private readonly flush = () => {
    const batch = this.outbox;
    this.outbox = [];
    this.port.postMessage(batch);
  };
}
