// Registers a vendor's pages on the phone API: the routes, their query checks, the lookup, paging and
// links; a vendor only says how its documents look.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceMap, ViewLoadArgs } from '../../../../src/contracts.js';
import type { PhoneApi } from '../../../services/phone_api/index.js';
import { labelsFor, type Labels } from './labels.js';
import { baseUrl, pageUrl, withQuery } from './links.js';
import { PhoneLookup } from './lookup.js';
import { fitPage, type Paging } from './paging.js';
import type { PhoneRow } from './rows.js';

export interface PageContext {
  labels: Labels;
  userUuid: string;
  /** The URL the phone called, without query. */
  base: string;
  /** menu: the input page's URL; input: the lookup page's URL (both without query). */
  target: string;
}

export interface ResultsContext extends Paging<PhoneRow> {
  labels: Labels;
  userUuid: string;
  /** Links to the previous and next pages, null when there is none. */
  prevUrl: string | null;
  nextUrl: string | null;
  /** The rows, or the one "No entries" placeholder (name only, empty number) when there is none. */
  entries: PhoneRow[];
}

export interface VendorView {
  /** Path segment, as provisioning writes it. */
  name: string;
  contentType: string;
  /** Rows per page when the phone sends no limit; null: all of them. */
  pageSize: number | null;
  /** Largest document the phone accepts, in bytes; null: no limit. */
  maxBytes?: number | null;
  menu?(page: PageContext): string;
  input?(page: PageContext): string;
  results(results: ResultsContext): string;
}

interface PhoneQuery {
  xivo_user_uuid: string;
  term?: string;
  limit?: number;
  offset: number;
}

const queryProperties = {
  xivo_user_uuid: { type: 'string', minLength: 1 },
  term: { type: 'string' },
  limit: { type: 'integer', minimum: 1 },
  offset: { type: 'integer', minimum: 0, default: 0 },
};
const params = { type: 'object', properties: { profile: { type: 'string' } }, required: ['profile'] };
const pageQuery = { type: 'object', properties: queryProperties, required: ['xivo_user_uuid'] };
const lookupQuery = { type: 'object', properties: queryProperties, required: ['xivo_user_uuid', 'term'] };

/** The phone API service, or null (then the view has nowhere to serve and says so). */
export function phoneApiOf({ services, log }: Pick<ViewLoadArgs, 'services' | 'log'>): PhoneApi | null {
  const api: PhoneApi | undefined = services.phone_api;
  if (!api) log.warn('the phone_api service is not loaded: phone directory views are not served');
  return api ?? null;
}

export function registerVendor(api: PhoneApi, services: ServiceMap, view: VendorView): void {
  const lookup = new PhoneLookup(services);
  // The vendor-last form is what phones are provisioned with; phoned marks it deprecated for the other.
  const paths = (page: string) => [`/0.1/directories/${page}/:profile/${view.name}`, `/0.1/${view.name}/directories/${page}/:profile`];
  const send = (reply: FastifyReply, body: string) => reply.header('content-type', view.contentType).send(body);
  const config = { errors: 'legacy' as const };

  for (const page of ['menu', 'input'] as const) {
    const build = view[page];
    if (!build) continue;
    for (const url of paths(page)) {
      api.app.get(url, { schema: { params, querystring: pageQuery }, config }, async (request, reply) => {
        const query = request.query as PhoneQuery;
        const base = baseUrl(request);
        const target = page === 'menu' ? pageUrl(base, 'menu', 'input') : pageUrl(base, 'input', 'lookup');
        return send(reply, build({ labels: labels(request), userUuid: query.xivo_user_uuid, base, target }));
      });
    }
  }

  for (const url of paths('lookup')) {
    api.app.get<{ Params: { profile: string } }>(url, { schema: { params, querystring: lookupQuery }, config }, async (request, reply) => {
      const query = request.query as PhoneQuery;
      const rows = await lookup.rows(request.params.profile, query.xivo_user_uuid, query.term!);
      const base = baseUrl(request);
      const link = (offset: number | null, limit: number | null) =>
        offset === null ? null : withQuery(base, [['xivo_user_uuid', query.xivo_user_uuid], ['term', query.term], ['limit', limit], ['offset', offset]]);
      const pageLabels = labels(request);
      const document = fitPage(rows, query.offset, query.limit ?? view.pageSize, view.maxBytes ?? null, (paging) =>
        view.results({
          ...paging,
          labels: pageLabels,
          userUuid: query.xivo_user_uuid,
          prevUrl: link(paging.prev, paging.limit),
          nextUrl: link(paging.next, paging.limit),
          entries: paging.rows.length > 0 ? paging.rows : [{ name: pageLabels.no_entries, number: '' }],
        }));
      return send(reply, document);
    });
  }
}

export function labels(request: FastifyRequest): Labels {
  return labelsFor(request.headers['accept-language']);
}
