// wazo-bus wire format (spec §7): a `name` header names the event; the JSON body repeats the headers
// and carries the payload under `data`.

/** An event dird publishes; the bus adds the headers every wazo event carries. */
export interface BusEvent {
  name: string;
  /** wazo's routing key (`directory.<user>.favorite.created`); a headers exchange ignores it for routing. */
  routingKey: string;
  /** Event-specific headers (`tenant_uuid`, `user_uuid:<uuid>`…). */
  headers?: Record<string, string | boolean>;
  data: Record<string, unknown>;
}

export interface EncodedMessage {
  headers: Record<string, string | boolean | null>;
  body: Buffer;
}

export function encodeEvent(event: BusEvent, originUuid: string | null, now = new Date()): EncodedMessage {
  const headers = {
    ...event.headers,
    name: event.name,
    origin_uuid: originUuid,
    timestamp: localTimestamp(now),
    required_access: `event.${event.name}`,
    required_acl: `events.${event.routingKey}`,
  };
  return { headers, body: Buffer.from(JSON.stringify({ ...headers, data: event.data })) };
}

/** ISO-8601 in local time without a zone, as wazo services stamp their events. */
export function localTimestamp(now: Date): string {
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, -1);
}

export interface ReceivedEvent {
  name: string;
  data: Record<string, unknown>;
}

/** The event in a delivered message; throws with a reason when it is not one. */
export function decodeEvent(headers: Record<string, unknown> | undefined, content: Buffer): ReceivedEvent {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch {
    throw new Error('body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('body is not a JSON object');
  const fields = body as Record<string, unknown>;
  const name = headers?.name ?? fields.name;
  if (typeof name !== 'string' || name === '') throw new Error('no event name (header `name`)');
  const data = fields.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('`data` is not an object');
  return { name, data: data as Record<string, unknown> };
}
