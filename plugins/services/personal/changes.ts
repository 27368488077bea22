// Versions of users' personal contacts, in memory shared with the personal back-end's workers, so a
// worker can keep a user's contacts indexed and know, without a message to the host, when they changed.
// Users are hashed onto a fixed number of Int32 slots (memory stays bounded whatever the number of
// users); a write bumps its user's slot, so two users sharing a slot only cost each other a reload.
// Writes through another dird instance on the same database arrive through the change feed (kind
// `personal`); writes made behind dird's back are not seen until the worker drops the user or restarts.
import { SLOTS, slotOf } from '../../../src/user-slots.js';

export class PersonalChanges {
  private readonly shared = new Int32Array(new SharedArrayBuffer(SLOTS * 4));

  /** The shared memory: Int32 per slot. */
  counter(): SharedArrayBuffer {
    return this.shared.buffer as SharedArrayBuffer;
  }

  /** A user's contacts changed. */
  bump(user: string): void {
    Atomics.add(this.shared, slotOf(user), 1);
  }

  /** Anyone's may have changed (changes from other instances were missed). */
  bumpAll(): void {
    for (let slot = 0; slot < SLOTS; slot++) Atomics.add(this.shared, slot, 1);
  }
}
