// Conversions between stored rows (JSON text columns) and the resources of contracts.ts.
import type { DisplayColumn, ProfileService, SourceConfig } from '../contracts.js';
import type { Database } from './schema.js';
import type { SourceInput } from './store.js';

export function encodeJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parses a JSON column; a null, unreadable or wrongly shaped value yields `fallback`. */
export function decodeJson<T extends object>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value) !== Array.isArray(fallback)) return fallback;
    return value as T;
  } catch {
    return fallback;
  }
}

const columnKeys = ['field', 'title', 'type', 'default', 'number_display'] as const;

/** A display column with all five keys, absent ones null. */
export function normalizeColumn(column: Partial<DisplayColumn>): DisplayColumn {
  const out = {} as DisplayColumn;
  for (const key of columnKeys) out[key] = column[key] ?? null;
  return out;
}

export function profileServiceConfig(service: Partial<ProfileService>): string {
  return encodeJson({ options: service.options ?? {} });
}

export function profileServiceOptions(config: string): Record<string, unknown> {
  const { options } = decodeJson<{ options?: unknown }>(config, {});
  return options !== null && typeof options === 'object' && !Array.isArray(options)
    ? (options as Record<string, unknown>) : {};
}

type SourceColumns = Omit<Database['dird_source'], 'uuid' | 'tenant_uuid' | 'backend'>;
const readOnlySourceKeys = ['uuid', 'tenant_uuid', 'backend', 'phonebook_name', 'phonebook_description'];

/**
 * Splits a source body into its columns: common fields get their own column, every other field goes
 * to `extra_fields`. A phonebook source references its phonebook by column and takes its name from it.
 */
export function sourceColumns(backend: string, input: SourceInput, freshName: () => string): SourceColumns {
  const { name, searched_columns, first_matched_columns, format_columns, ...rest } = input;
  const extra: Record<string, unknown> = { ...rest };
  for (const key of readOnlySourceKeys) delete extra[key];
  let phonebook_uuid: string | null = null;
  if (backend === 'phonebook' && typeof extra.phonebook_uuid === 'string') {
    phonebook_uuid = extra.phonebook_uuid;
    delete extra.phonebook_uuid;
  }
  return {
    name: phonebook_uuid === null ? name : freshName(),
    searched_columns: encodeJson(searched_columns ?? []),
    first_matched_columns: encodeJson(first_matched_columns ?? []),
    format_columns: encodeJson(format_columns ?? {}),
    extra_fields: encodeJson(extra),
    phonebook_uuid,
  };
}

/** A dird_source row as sources.ts selects it: its own name renamed, its phonebook's name and description added. */
export type SourceRow = Omit<Database['dird_source'], 'name'> & {
  own_name: string;
  phonebook_name: string | null;
  phonebook_description: string | null;
};

export function decodeSource(row: SourceRow): SourceConfig {
  const extra = decodeJson<Record<string, unknown>>(row.extra_fields, {});
  const phonebook = row.phonebook_uuid === null ? {} : {
    phonebook_uuid: row.phonebook_uuid,
    phonebook_name: row.phonebook_name,
    phonebook_description: row.phonebook_description,
  };
  const config: SourceConfig = {
    uuid: row.uuid,
    tenant_uuid: row.tenant_uuid,
    name: row.phonebook_name ?? row.own_name,
    backend: row.backend,
    searched_columns: decodeJson<string[]>(row.searched_columns, []),
    first_matched_columns: decodeJson<string[]>(row.first_matched_columns, []),
    format_columns: decodeJson<Record<string, string>>(row.format_columns, {}),
  };
  for (const [key, value] of Object.entries({ ...extra, ...phonebook })) {
    if (!(key in config)) config[key] = value;
  }
  return config;
}
