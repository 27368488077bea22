// The sample back-end: one fixed entry, to check a deployment end to end.
import type { Backend, Fields, Relations } from '../../../src/contracts.js';

const ENTRY: Readonly<Fields> = Object.freeze({ id: '1', firstname: 'John', lastname: 'Doe', number: '555' });

export default class SampleBackend implements Backend {
  search(): Fields[] {
    return [{ ...ENTRY }];
  }

  firstMatch(exten: string): Fields | null {
    return exten === ENTRY.number ? { ...ENTRY } : null;
  }

  matchAll(extens: string[]): Record<string, Fields> {
    return extens.includes(ENTRY.number as string) ? { [ENTRY.number as string]: { ...ENTRY } } : {};
  }

  list(uids: string[]): Fields[] {
    return uids.includes(ENTRY.id as string) ? [{ ...ENTRY }] : [];
  }
}

/** The entry's id identifies it even when the source sets no unique column (so it can be a favorite). */
export function relations(fields: Fields): Partial<Relations> {
  return { source_entry_id: typeof fields.id === 'string' ? fields.id : null };
}
