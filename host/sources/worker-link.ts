// The host's end of one worker's `calls` channel: an id map of calls in flight, each with its deadline.
// Calls are answered one by one as they finish; a call past its deadline answers 'timeout' (one sweep
// timer per link instead of a timer per call: this is the reverse lookup's hot path); when the worker
// dies every call in flight fails at once.
import type { MessagePort, Worker } from 'node:worker_threads';
import { BatchingPort } from '../../src/batching-port.js';
import type { CallEnvelope, ReplyEnvelope, SandboxCall, SandboxReply } from '../../src/protocol.js';

export type LinkReply = SandboxReply | { ok: false; phase: 'crash'; error: string } | 'timeout';

/** How often deadlines are checked: a call gives up at most this late. */
const SWEEP_MS = 5;

interface Pending {
  resolve: (reply: LinkReply) => void;
  deadline: number;
}

export class WorkerLink {
  lastBeat = Date.now();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly outbox: BatchingPort<CallEnvelope>;
  private sweeper: NodeJS.Timeout | null = null;

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

  /** Resolves with the worker's reply, or 'timeout' once `deadline` (epoch ms) has passed. */
  call(call: SandboxCall, deadline: number): Promise<LinkReply> {
    const id = this.nextId++;
    const reply = new Promise<LinkReply>((resolve) => this.pending.set(id, { resolve, deadline }));
    this.outbox.send({ id, call });
    this.sweeper ??= setInterval(this.sweep, SWEEP_MS);
    return reply;
  }

  failAll(error: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, phase: 'crash', error });
  }

  private readonly sweep = () => {
    const now = Date.now();
    for (const [id, { deadline }] of this.pending) if (deadline <= now) this.settle(id, 'timeout');
  };

  private settle(id: number, reply: LinkReply): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (this.pending.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
    pending.resolve(reply);
  }
}
