// Shared set-up of the storage tests: a migrated store on a throwaway database, fresh tenants.
import { randomUUID } from 'node:crypto';
import { openStore, type SqlStore } from '../../src/storage/open.js';
import type { SourceInput } from '../../src/storage/store.js';
import { useDatabase, type TestDatabase } from '../helpers/databases.js';

type Teardown = { teardown(fn: () => unknown): void };

/** A store on a new database of that kind, closed and dropped when `t` ends. */
export async function openTestStore(t: Teardown, database: TestDatabase): Promise<SqlStore> {
  const uri = await useDatabase(t, database);
  const store = await openStore(uri);
  t.teardown(() => store.close());
  return store;
}

/** A tenant uuid no other test uses, so counts are not disturbed by other tests on the same database. */
export const newTenant = (): string => randomUUID();

export function csvSource(name: string, extra: Record<string, unknown> = {}): SourceInput {
  return {
    name,
    searched_columns: ['firstname', 'lastname'],
    first_matched_columns: ['number'],
    format_columns: { name: '{firstname} {lastname}', phone: '{number}' },
    file: '/tmp/contacts.csv',
    separator: ',',
    unique_column: 'id',
    ...extra,
  };
}

/** tap `rejects` patterns of the errors the store raises. */
export const notFound = (kind: 'display' | 'profile' | 'source' | 'phonebook', uuid: string) =>
  ({ message: `No such ${kind}: "${uuid}"`, status: 404, errorId: `unknown-${kind}`, details: { uuid } });
export const invalidReference = (kind: 'display' | 'source', uuid: string) =>
  ({ message: `No such ${kind}: "${uuid}"`, status: 400, errorId: `unknown-${kind}`, details: { uuid } });
export const conflict = (resource: 'profiles' | 'sources', name: string) => ({
  message: 'Conflict detected', status: 409, errorId: 'conflict', resource,
  details: { name: { constraint_id: 'unique', message: `The name "${name}" is already used` } },
});
