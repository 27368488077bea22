// The change feed services publish to and caches subscribe to. Subscribers are told synchronously, in
// this process; `outbox`, when set (PostgreSQL: host/change-relay.ts), also sends every local change to
// the other instances, whose changes come back in through `deliver` and are not sent on again.
import { EventEmitter } from 'node:events';
import type { ChangeFeed, ChangeKind, ChangeListener } from '../src/contracts.js';

export type Outbox = (kind: ChangeKind, uuid: string, detail: string[] | null) => void;

export class ChangeHub implements ChangeFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  outbox: Outbox | null = null;

  publish(kind: ChangeKind, uuid: string, detail: string[] | null = null): void {
    this.deliver(kind, uuid, detail);
    this.outbox?.(kind, uuid, detail);
  }

  /** A change made elsewhere (another instance): local subscribers only. */
  deliver(kind: ChangeKind, uuid: string, detail: string[] | null = null): void {
    this.emitter.emit('change', kind, uuid, detail);
  }

  subscribe(listener: ChangeListener): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}

export function createChangeFeed(): ChangeHub {
  return new ChangeHub();
}
