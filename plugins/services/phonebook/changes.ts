// Per phonebook: a version bumped by every write, and a bounded log of which contacts each write
// touched, so a back-end holding version N fetches only the contacts changed since N.
// In memory: a restarted host restarts its sandboxes too, and they load from scratch. Versions are this
// process's own: other instances learn of writes through the change feed and keep their own versions.
// The version is also mirrored in a SharedArrayBuffer per phonebook, handed to back-ends once: they read
// it on every call without a message to the host.

/** Entries kept per phonebook; an older version than the log covers means "reload". */
const LOG_LENGTH = 1000;
/** A write touching more contacts than this is logged as "anything changed" (memory stays bounded). */
const ENTRY_CONTACTS = 2000;

interface Entry {
  version: number;
  /** Contacts touched; null = anything may have changed. */
  contacts: string[] | null;
}

interface PhonebookLog {
  version: number;
  /** Int32 [version], shared with the back-ends' workers. */
  shared: Int32Array;
  /** The version before the oldest kept entry. */
  base: number;
  entries: Entry[];
}

export class ChangeLog {
  private readonly logs = new Map<string, PhonebookLog>();

  version(phonebook: string): number {
    return this.logs.get(phonebook)?.version ?? 0;
  }

  /** The shared memory holding the phonebook's version (Int32 at index 0). */
  counter(phonebook: string): SharedArrayBuffer {
    return this.logOf(phonebook).shared.buffer as SharedArrayBuffer;
  }

  record(phonebook: string, contacts: string[] | null): void {
    const log = this.logOf(phonebook);
    log.version += 1;
    Atomics.store(log.shared, 0, log.version);
    log.entries.push({ version: log.version, contacts: contacts && contacts.length <= ENTRY_CONTACTS ? contacts : null });
    if (log.entries.length > LOG_LENGTH) log.base = log.entries.shift()!.version;
  }

  /** Anything may have changed in every phonebook known here (changes from elsewhere were missed). */
  recordEverywhere(): void {
    for (const phonebook of this.logs.keys()) this.record(phonebook, null);
  }

  private logOf(phonebook: string): PhonebookLog {
    let log = this.logs.get(phonebook);
    if (!log) this.logs.set(phonebook, (log = { version: 0, shared: new Int32Array(new SharedArrayBuffer(4)), base: 0, entries: [] }));
    return log;
  }

  /** Contacts touched after version `since`, or null when that cannot be told within `max` contacts. */
  since(phonebook: string, since: number, max: number): string[] | null {
    const log = this.logs.get(phonebook);
    if (!log || log.version === 0) return since === 0 ? [] : null;
    if (!Number.isInteger(since) || since < log.base || since > log.version) return null;
    const touched = new Set<string>();
    for (const entry of log.entries) {
      if (entry.version <= since) continue;
      if (entry.contacts === null) return null;
      for (const id of entry.contacts) touched.add(id);
      if (touched.size > max) return null;
    }
    return [...touched];
  }
}
