// The sample back-end: one fixed entry, to check a deployment end to end; or, with `contacts: N`, N synthetic
// contacts with optional latency and failures, to load-test a deployment without a real directory.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Backend, BackendLoadArgs, Fields, Relations } from '../../../src/contracts.js';
import { syntheticContacts } from './contacts.js';

export { configSchema } from './schema.js';

const ENTRY: Readonly<Fields> = Object.freeze({ id: '1', firstname: 'John', lastname: 'Doe', number: '555' });

interface Synthetic {
  rows: Fields[];
  /** Lower-cased searched values, per row. */
  haystacks: string[][];
  /** First row holding a value in any first-matched column. */
  byMatchedValue: Map<unknown, Fields>;
  byId: Map<unknown, Fields>;
}

export default class SampleBackend implements Backend {
  private synthetic: Synthetic | null = null;
  private latencyMs = 0;
  private errorRate = 0;
  private calls = 0;

  load({ config }: BackendLoadArgs): void {
    this.latencyMs = typeof config.latency_ms === 'number' ? config.latency_ms : 0;
    this.errorRate = typeof config.error_rate === 'number' ? config.error_rate : 0;
    if (typeof config.contacts !== 'number') return;
    const searched = config.searched_columns?.length ? config.searched_columns : ['firstname', 'lastname'];
    const matched = config.first_matched_columns?.length ? config.first_matched_columns : ['number'];
    const rows = syntheticContacts(config.contacts);
    const byMatchedValue = new Map<unknown, Fields>();
    for (const row of rows) {
      for (const column of matched) if (column in row && !byMatchedValue.has(row[column])) byMatchedValue.set(row[column], row);
    }
    this.synthetic = {
      rows,
      haystacks: rows.map((row) => searched.filter((column) => column in row).map((column) => String(row[column]).toLowerCase())),
      byMatchedValue,
      byId: new Map(rows.map((row) => [row.id, row])),
    };
  }

  async search(term: string): Promise<Fields[]> {
    await this.behave();
    if (!this.synthetic) return [{ ...ENTRY }];
    const needle = term.toLowerCase();
    const { rows, haystacks } = this.synthetic;
    return rows.filter((_, i) => haystacks[i].some((value) => value.includes(needle))).map((row) => ({ ...row }));
  }

  async firstMatch(exten: string): Promise<Fields | null> {
    await this.behave();
    if (!this.synthetic) return exten === ENTRY.number ? { ...ENTRY } : null;
    const row = this.synthetic.byMatchedValue.get(exten);
    return row ? { ...row } : null;
  }

  async matchAll(extens: string[]): Promise<Record<string, Fields>> {
    await this.behave();
    if (!this.synthetic) return extens.includes(ENTRY.number as string) ? { [ENTRY.number as string]: { ...ENTRY } } : {};
    const found: Record<string, Fields> = {};
    for (const exten of extens) {
      const row = this.synthetic.byMatchedValue.get(exten);
      if (row) found[exten] = { ...row };
    }
    return found;
  }

  async list(uids: string[]): Promise<Fields[]> {
    await this.behave();
    if (!this.synthetic) return uids.includes(ENTRY.id as string) ? [{ ...ENTRY }] : [];
    const byId = this.synthetic.byId;
    return uids.flatMap((uid) => (byId.has(uid) ? [{ ...byId.get(uid)! }] : []));
  }

  /** Waits the configured latency, then fails when this call is one of the error_rate share. */
  private async behave(): Promise<void> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const call = this.calls++;
    // Call n fails when the running count of failures due, floor(n * rate), steps up: exactly `rate` of calls, evenly spread.
    if (Math.floor((call + 1) * this.errorRate) > Math.floor(call * this.errorRate)) {
      throw new Error(`sample: simulated failure (error_rate ${this.errorRate})`);
    }
  }
}

/** The entry's id identifies it even when the source sets no unique column (so it can be a favorite). */
export function relations(fields: Fields): Partial<Relations> {
  return { source_entry_id: typeof fields.id === 'string' ? fields.id : null };
}
