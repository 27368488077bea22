// Deep merge of configuration layers: mappings merge, everything else (arrays included) replaces.

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges layers from lowest to highest precedence into a new object. */
export function deepMerge(...layers: Record<string, any>[]): Record<string, any> {
  const out: Record<string, any> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : clone(value);
    }
  }
  return out;
}

function clone(value: unknown): any {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return deepMerge(value);
  return value;
}
