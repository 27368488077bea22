// The `display` service: CRUD of displays (spec §2.3, §3.7).
import type { ChangeFeed, Display, DisplayColumn, ListParams, ListResult, ServiceLoadArgs, ServicePlugin } from '../../../src/contracts.js';
import { InvalidDataError, type FieldError } from '../../../src/errors.js';
import type { DisplayInput, Store } from '../../../src/storage/store.js';
import { addDetail, fieldError, makeAjv, validateWith } from '../../../src/validation.js';
import { COLUMN_KEYS, displayBodySchema } from './schema.js';

const validateBody = makeAjv().compile(displayBodySchema);

/** Checks a display body and gives every column its five keys. */
export function parseDisplayBody(body: unknown): DisplayInput {
  const input = validateWith<{ name: string; columns: Record<string, unknown>[] }>(validateBody, body);
  const details: Record<string, FieldError[]> = {};
  const columns = input.columns.map((column, index) => {
    if (!COLUMN_KEYS.some((key) => key in column)) {
      addDetail(details, ['columns', String(index)], fieldError('not_empty', 'not_empty', 'Empty columns are now allowed'));
    }
    return fullColumn(column);
  });
  if (Object.keys(details).length) throw new InvalidDataError(details);
  return { name: input.name, columns };
}

function fullColumn(column: Record<string, unknown>): DisplayColumn {
  return Object.fromEntries(COLUMN_KEYS.map((key) => [key, column[key] ?? null])) as unknown as DisplayColumn;
}

function output(display: Display): Display {
  return { uuid: display.uuid, tenant_uuid: display.tenant_uuid, name: display.name, columns: display.columns.map((c) => fullColumn({ ...c })) };
}

export class DisplayService {
  constructor(private readonly store: Store, private readonly changes: ChangeFeed) {}

  async list(tenants: string[], params: ListParams): Promise<ListResult<Display>> {
    const result = await this.store.displays.list(tenants, params);
    return { ...result, items: result.items.map(output) };
  }

  async get(tenants: string[], uuid: string): Promise<Display> {
    return output(await this.store.displays.get(tenants, uuid));
  }

  async create(tenant: string, body: unknown): Promise<Display> {
    return output(await this.store.displays.create(tenant, parseDisplayBody(body)));
  }

  async update(tenants: string[], uuid: string, body: unknown): Promise<void> {
    await this.store.displays.update(tenants, uuid, parseDisplayBody(body));
    this.changes.publish('display', uuid);
  }

  async delete(tenants: string[], uuid: string): Promise<void> {
    await this.store.displays.delete(tenants, uuid);
    this.changes.publish('display', uuid);
  }
}

export default class DisplayServicePlugin implements ServicePlugin {
  load(args: ServiceLoadArgs): DisplayService {
    return new DisplayService(args.store, args.changes);
  }
}
