// In-process change feed. Several instances on one database will relay it (a later issue).
import { EventEmitter } from 'node:events';
import type { ChangeFeed, ChangeKind } from '../src/contracts.js';

export function createChangeFeed(): ChangeFeed {
  const emitter = new EventEmitter().setMaxListeners(0);
  return {
    publish: (kind: ChangeKind, uuid: string) => emitter.emit('change', kind, uuid),
    subscribe(listener) {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
  };
}
