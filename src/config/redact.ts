// Secrets never leave the host: GET /config shows them masked and back-end workers get the masked copy.
import { isPlainObject } from './merge.js';

const MASK = '********';
const secretKey = /(^|_)(password|secret|token|key|private_key|service_key)$/i;
/** Maps whose keys are themselves secrets (the static token strings). */
const secretMaps = new Set(['static_tokens']);

export function redact(value: unknown, key = ''): any {
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    let index = 0;
    for (const [k, v] of Object.entries(value)) {
      if (secretMaps.has(key)) out[`${MASK}${++index}`] = redact(v);
      else out[k] = redact(v, k);
    }
    return out;
  }
  if (typeof value === 'string' && key === 'db_uri') return redactUri(value);
  if (value !== null && value !== '' && secretKey.test(key) && key !== 'key_file') return MASK;
  return value;
}

function redactUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+):[^@/]*@/i, `$1:${MASK}@`);
}
