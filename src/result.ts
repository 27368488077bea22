// Turns a back-end's raw entries into source results (spec §3.3 "Result construction").
import type { Fields, Relations, SourceConfig, SourceResult } from './contracts.js';
import { compileTemplate, pyStr, type Render } from './template.js';

export interface ResultBuilderOptions {
  source: SourceConfig;
  flags?: { is_personal?: boolean; is_deletable?: boolean };
  /** Relations read from the raw entry (the wazo back-end fills user ids). */
  relations?: (fields: Fields) => Partial<Relations>;
}

export type ResultBuilder = (raw: Fields) => SourceResult;

export function makeResultBuilder({ source, flags = {}, relations }: ResultBuilderOptions): ResultBuilder {
  const uniqueColumn = typeof source.unique_column === 'string' && source.unique_column ? source.unique_column : null;
  const columns: [string, Render][] = Object.entries(source.format_columns ?? {}).map(([name, template]) => [
    name,
    compileTemplate(String(template)),
  ]);
  const is_personal = flags.is_personal ?? false;
  const is_deletable = flags.is_deletable ?? false;

  return (raw) => {
    const fields: Fields = { ...raw };
    const extra = relations ? relations(raw) : {};
    // The id comes from the raw value: formatting may overwrite the unique column.
    const entryId = uniqueColumn === null ? null : uniqueValue(fields, uniqueColumn);
    for (const [name, render] of columns) {
      Object.defineProperty(fields, name, { value: renderColumn(render, fields), enumerable: true, writable: true, configurable: true });
    }
    return {
      fields,
      relations: {
        xivo_id: extra.xivo_id ?? null,
        agent_id: extra.agent_id ?? null,
        user_id: extra.user_id ?? null,
        user_uuid: extra.user_uuid ?? null,
        endpoint_id: extra.endpoint_id ?? null,
        source_entry_id: entryId ?? extra.source_entry_id ?? null,
      },
      source: source.name,
      backend: source.backend,
      is_personal,
      is_deletable,
    };
  };
}

function uniqueValue(fields: Fields, column: string): string | null {
  if (!Object.hasOwn(fields, column)) return null;
  const value = fields[column];
  return value === null || value === undefined ? null : pyStr(value);
}

/** The characters Python's str.strip() removes (str.isspace), which differ slightly from String.trim(). */
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function renderColumn(render: Render, fields: Fields): string | null {
  try {
    const text = render(fields).replace(PY_SPACE, '');
    return text === '' ? null : text;
  } catch {
    return null;
  }
}
