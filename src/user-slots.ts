// Users hashed onto a fixed number of slots of shared memory: the personal service (host) bumps a user's
// slot on every write, the personal back-end (worker) reads it; both must compute the same slot.
export const SLOTS = 4096;

/** The slot of a user (FNV-1a of the uuid). */
export function slotOf(user: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < user.length; i++) {
    hash ^= user.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SLOTS;
}
