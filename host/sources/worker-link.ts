// The host's end of one worker's `calls` channel: an id map of calls in flight. Calls are answered one
// by one as they finish; when the worker dies every call in flight fails at once.
import type { MessagePort, Worker } from 'node:worker_threads';
import { BatchingPort } from '../../src/batching-port.js';
import type { CallEnvelope, ReplyEnvelope, SandboxCall, SandboxReply } from '../../src/protocol.js';

export type LinkReply = SandboxReply | { ok: false; phase: 'crash'; error: string };

export class WorkerLink {
  lastBeat = Date.now();
  private nextId = 1;
  private readonly pending = new Map<number, (reply: LinkReply) => void>();
  private readonly outbox: BatchingPort<CallEnvelope>;

  constructor(
    readonly worker: Worker,
    port: MessagePort,
  ) {
    this.outbox = new BatchingPort(port);
    port.on('message', (batch: ReplyEnvelope[]) => {
      for (const { id, reply } of batch) this.settle(id, reply);
    });
    port.unref();
  }

  get inFlight(): number {
    return this.pending.size;
  }

  call(call: SandboxCall): { id: number; reply: Promise<LinkReply> } {
    const id = this.nextId++;
    const reply = new Promise<LinkReply>((resolve) => this.pending.set(id, resolve));
    this.outbox.send({ id, call });
    return { id, reply };
  }

  /** The host gave up on a call (deadline): a late answer is dropped. */
  forget(id: number): void {
    this.pending.delete(id);
  }

  failAll(error: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, phase: 'crash', error });
  }

  private settle(id: number, reply: LinkReply): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    resolve(reply);
  }
}
