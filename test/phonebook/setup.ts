// Phonebook tests run on every database (test/management/setup.ts) and also send raw CSV bodies.
import type { Dird, TokenName } from '../management/setup.js';

export { onEveryDatabase, UNKNOWN_UUID } from '../management/setup.js';

export interface RawReply {
  status: number;
  body: any;
}

/** POSTs `body` as is (a CSV file), with that Content-Type. */
export async function postRaw(dird: Dird, path: string, body: string | Buffer, contentType = 'text/csv; charset=utf-8', token: TokenName = 'admin'): Promise<RawReply> {
  const response = await dird.inject({
    method: 'POST',
    url: path,
    headers: { 'X-Auth-Token': dird.tokens[token], 'content-type': contentType },
    payload: body,
  });
  let parsed: unknown = response.body;
  try {
    parsed = response.body === '' ? null : JSON.parse(response.body);
  } catch {
    // not JSON
  }
  return { status: response.statusCode, body: parsed };
}

/** A legacy error body (spec §1.3) whose reason contains `text`. */
export const legacy = (status: number, text: RegExp | string) => ({ reason: [text], timestamp: [Number], status_code: status });
