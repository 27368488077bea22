// The rules of reverse cache settings (plugins/services/reverse/cache.ts), one place for both forms: a
// source's `reverse_cache` field (its JSON schema: a bad value is a 400) and the main config's
// `reverse_cache` section (checked at load: a bad value is a warning and the default applies).

/** lru-cache allocates `max` slots up front: a larger bound would take the daemon's memory. */
export const MAX_CACHE_ENTRIES = 1_000_000;

type Rule = { type: string; minimum?: number; maximum?: number };
const seconds: Rule = { type: 'number', minimum: 0 };
const settingRules: Record<string, Rule> = {
  enabled: { type: 'boolean' },
  ttl: seconds,
  stale_ttl: seconds,
  negative_ttl: seconds,
  max_entries: { type: 'integer', minimum: 1, maximum: MAX_CACHE_ENTRIES },
  refresh_timeout: seconds,
};

/** JSON schema of a source's `reverse_cache` field. */
export const reverseCacheSchema = { type: 'object', properties: settingRules, additionalProperties: false };

function fits(rule: Rule, value: unknown): boolean {
  if (rule.type === 'boolean') return typeof value === 'boolean';
  return typeof value === 'number' && Number.isFinite(value) && (rule.type !== 'integer' || Number.isInteger(value))
    && value >= (rule.minimum ?? -Infinity) && value <= (rule.maximum ?? Infinity);
}

const expected = (rule: Rule) => (rule.type === 'boolean'
  ? 'true or false'
  : `${rule.type === 'integer' ? 'an integer' : 'a number'} ${rule.maximum === undefined ? `≥ ${rule.minimum}` : `from ${rule.minimum} to ${rule.maximum}`}`);

const shown = (value: unknown) => (typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value));
const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The main config's `reverse_cache` section without its bad values, each told in `warnings` (key and
 * value) so that its default applies; `sources.<name or uuid>` entries are checked alike.
 */
export function checkedReverseCache(section: unknown, warnings: string[], path = 'reverse_cache'): Record<string, any> {
  if (section === undefined || section === null) return {};
  if (!isMapping(section)) {
    warnings.push(`${path}: ${shown(section)} is not a mapping; ignored, the defaults apply`);
    return {};
  }
  const checked: Record<string, any> = {};
  for (const [key, value] of Object.entries(section)) {
    const rule = settingRules[key];
    if (key === 'sources' && path === 'reverse_cache') {
      const sources = isMapping(value) ? value : {};
      if (!isMapping(value)) warnings.push(`${path}.sources: ${shown(value)} is not a mapping; ignored`);
      checked.sources = {};
      for (const [name, entry] of Object.entries(sources)) {
        // `name: false` switches a source's cache off; an empty entry says nothing; other non-mappings are dropped.
        if (entry === false) checked.sources[name] = { enabled: false };
        else if (isMapping(entry)) checked.sources[name] = checkedReverseCache(entry, warnings, `${path}.sources.${name}`);
        else if (entry !== null && entry !== undefined) warnings.push(`${path}.sources.${name}: ${shown(entry)} is not a mapping; ignored`);
      }
    } else if (!rule) {
      warnings.push(`unknown configuration key "${path}.${key}" (ignored)`);
    } else if (fits(rule, value)) {
      checked[key] = value;
    } else {
      warnings.push(`${path}.${key}: ${shown(value)} is not ${expected(rule)}; ignored, the default applies`);
    }
  }
  return checked;
}
