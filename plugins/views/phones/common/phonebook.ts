// Phonebooks that phones download whole and poll (Yealink remote phonebook, Grandstream, Snom tbook):
// every contact of the profile (an empty-term search), capped, rendered once a minute at most per
// phone, and answered 304 when the phone already has this version (ETag / Last-Modified).
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceMap } from '../../../../src/contracts.js';
import type { PhoneApi } from '../../../services/phone_api/index.js';
import { toContacts, type PhonebookContact } from './contacts.js';
import { labelsFor, languageFor, type Labels } from './labels.js';
import { PhoneLookup } from './lookup.js';

/** Most contacts in one phonebook (Snom's remote directory is reported to hold about 2,000). */
export const MAX_PHONEBOOK_CONTACTS = 2000;
/** How long a rendered phonebook is reused for the same phone before the sources are searched again. */
const FRESH_MS = 60_000;
const MAX_CACHED = 10_000;
/** Phones of one profile mostly get the same book: identical bodies are kept once, up to this many characters. */
const MAX_CACHED_CHARS = 64 * 1024 * 1024;

export interface PhonebookFormat {
  /** Route paths; `:profile` and, when not in the query, `:user_uuid`. */
  paths: string[];
  methods: ('GET' | 'POST')[];
  contentType: string;
  render(contacts: PhonebookContact[], labels: Labels, complete: boolean): string;
}

interface Rendered {
  body: string;
  etag: string;
  lastModified: Date;
  fresh: number;
}

export function registerPhonebook(api: PhoneApi, services: ServiceMap, format: PhonebookFormat): void {
  const lookup = new PhoneLookup(services);
  const cache = new Map<string, Promise<Rendered>>();
  const bodies = new Map<string, string>();
  let cachedChars = 0;
  const forgetAll = () => {
    cache.clear();
    bodies.clear();
    cachedChars = 0;
  };
  const intern = (etag: string, body: string) => {
    const known = bodies.get(etag);
    if (known !== undefined) return known;
    bodies.set(etag, body);
    cachedChars += body.length;
    return body;
  };

  async function render(profile: string, user: string, labels: Labels, previous: Rendered | undefined): Promise<Rendered> {
    const { profile: resolved, results } = await lookup.search(profile, user, '');
    const contacts = toContacts(resolved.display, results);
    const body = format.render(contacts.slice(0, MAX_PHONEBOOK_CONTACTS), labels, contacts.length <= MAX_PHONEBOOK_CONTACTS);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    // Whole seconds: HTTP dates have no finer precision, and If-Modified-Since is compared with them.
    const lastModified = previous?.etag === etag ? previous.lastModified : new Date(Math.floor(Date.now() / 1000) * 1000);
    return { body: intern(etag, body), etag, lastModified, fresh: Date.now() + FRESH_MS };
  }

  async function current(request: FastifyRequest, profile: string, user: string): Promise<Rendered> {
    const language = languageFor(request.headers['accept-language']);
    const key = `${profile}\u0000${user}\u0000${language}`;
    const cached = cache.get(key);
    const previous = cached ? await cached.catch(() => undefined) : undefined;
    if (cached && previous && previous.fresh > Date.now()) return previous;
    // Another request may have started the refresh while this one waited: share it.
    const refreshing = cache.get(key);
    if (refreshing && refreshing !== cached) return refreshing;
    const rendering = render(profile, user, labelsFor(language), previous);
    if (cache.size >= MAX_CACHED || cachedChars >= MAX_CACHED_CHARS) forgetAll();
    cache.set(key, rendering);
    rendering.catch(() => cache.get(key) === rendering && cache.delete(key));
    return rendering;
  }

  const params = { type: 'object', properties: { profile: { type: 'string' }, user_uuid: { type: 'string', minLength: 1 } } };
  const querystring = { type: 'object', properties: { xivo_user_uuid: { type: 'string', minLength: 1 } } };
  for (const url of format.paths) {
    api.app.route({
      method: format.methods,
      url,
      schema: {
        params,
        querystring: url.includes(':user_uuid') ? querystring : { ...querystring, required: ['xivo_user_uuid'] },
      },
      config: { errors: 'legacy' },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const { profile, user_uuid: inPath } = request.params as { profile: string; user_uuid?: string };
        const user = inPath ?? (request.query as { xivo_user_uuid: string }).xivo_user_uuid;
        const rendered = await current(request, profile, user);
        reply.header('etag', rendered.etag).header('last-modified', rendered.lastModified.toUTCString())
          .header('cache-control', 'no-cache').header('vary', 'Accept-Language');
        if (request.method === 'GET' && notModified(request, rendered)) return reply.code(304).send();
        return reply.header('content-type', format.contentType).send(rendered.body);
      },
    });
  }
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since. */
function notModified(request: FastifyRequest, rendered: Rendered): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(',').some((tag) => {
      const value = tag.trim();
      return value === '*' || value.replace(/^W\//, '') === rendered.etag;
    });
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && rendered.lastModified.getTime() <= since;
}
