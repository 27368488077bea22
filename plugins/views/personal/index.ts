// wazo-dird's `personal_view` (spec §2.6, §5.4, §5.4b) and GET /directories/personal/{profile}.
// Contacts belong to the token's user, whatever the tenant: no user uuid in the token → 401.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { formatResults } from '../../../src/display.js';
import { LegacyError } from '../../../src/errors.js';
import { CsvFileError, decode, exportCsv } from '../../services/personal/csv.js';
import { PersonalError, type PersonalService } from '../../services/personal/index.js';
import type { ProfileService } from '../../services/profile/index.js';
import { listInMemory } from '../common/in-memory.js';
import { paramsSchema } from '../common/routes.js';

/** Larger imports are refused with 413 before parsing (about 40,000 short contacts). */
export const DEFAULT_IMPORT_MAX_BYTES = 4 * 1024 * 1024;

type IdRequest = FastifyRequest<{ Params: { contact_id: string } }>;
const tags = ['personal'];
const now = () => Date.now() / 1000;

async function userOf(request: FastifyRequest): Promise<string> {
  const { user_uuid } = await request.dird.tokenInfo();
  if (!user_uuid) throw new LegacyError(401, 'This token has no user UUID');
  return user_uuid;
}

function renderErrors(app: FastifyInstance) {
  app.setErrorHandler((error: any, _request, reply) => {
    if (error instanceof PersonalError) {
      return reply.code(error.status).send({ reason: error.reason, timestamp: [now()], status_code: error.status });
    }
    if (error instanceof CsvFileError) return reply.code(400).send({ reason: [error.message], timestamp: [now()], status_code: 400 });
    if (error?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ reason: ['the CSV file is too large'], timestamp: [now()], status_code: 413 });
    }
    throw error; // the app's handler renders the rest
  });
}

/** The list params of GET /personal; their 400s carry a string `reason` (wazo-dird quirk). */
function listParams(query: Record<string, string | undefined>, contacts: Record<string, unknown>[]) {
  const { order, direction, limit, offset } = query;
  const fail = (reason: string) => {
    throw new PersonalError(400, reason);
  };
  if (direction !== undefined && direction !== 'asc' && direction !== 'desc') fail('direction must be asc or desc');
  if (limit !== undefined && !(/^\d+$/.test(limit) && Number(limit) > 0)) fail('limit must be a positive number');
  if (offset !== undefined && !/^\d+$/.test(offset)) fail('offset must be a positive number');
  if (order !== undefined && !contacts.some((contact) => Object.hasOwn(contact, order))) fail(`order: column '${order}' was not found`);
  return {
    order,
    direction: direction as 'asc' | 'desc' | undefined,
    limit: limit === undefined ? undefined : Number(limit),
    offset: offset === undefined ? undefined : Number(offset),
  };
}

function wantsCsv(request: FastifyRequest): boolean {
  const mimetype = request.headers['content-type']?.split(';')[0].trim().toLowerCase();
  const format = mimetype || (request.query as { format?: string }).format || 'application/json';
  return format === 'text/csv';
}

export default class PersonalView implements ViewPlugin {
  async load({ app, services, config }: ViewLoadArgs): Promise<void> {
    const personal = () => services.personal as PersonalService;
    const profiles = () => services.profile as ProfileService;
    const importMax = Number(config.services?.personal?.import_max_bytes) || DEFAULT_IMPORT_MAX_BYTES;

    await app.register(async (scope) => {
      renderErrors(scope);

      scope.get('/0.1/personal', {
        schema: { tags, summary: "List the caller's personal contacts (JSON or CSV)" },
        config: { acl: 'dird.personal.read', errors: 'legacy' },
      }, async (request, reply) => {
        const contacts = await personal().list(await userOf(request));
        const params = listParams(request.query as Record<string, string>, contacts);
        const { items } = listInMemory(contacts, params, { insensitive: params.order ? [params.order] : [] });
        if (!wantsCsv(request)) return { items };
        if (items.length === 0) return reply.code(204).send();
        return reply.type('text/csv; charset=utf-8').send(exportCsv(items));
      });

      scope.post('/0.1/personal', {
        schema: { tags, summary: 'Create a personal contact' },
        config: { acl: 'dird.personal.create', errors: 'legacy' },
      }, async (request, reply) => {
        const user = await userOf(request);
        return reply.code(201).send(await personal().create(await request.dird.tenant(), user, request.body));
      });

      scope.delete('/0.1/personal', {
        schema: { tags, summary: "Delete all the caller's personal contacts" },
        config: { acl: 'dird.personal.delete', errors: 'legacy' },
      }, async (request, reply) => {
        await personal().purge(await userOf(request));
        return reply.code(204).send();
      });

      const idParams = paramsSchema('contact_id');
      scope.get('/0.1/personal/:contact_id', {
        schema: { tags, summary: 'Get a personal contact', params: idParams },
        config: { acl: 'dird.personal.{contact_id}.read', errors: 'legacy' },
      }, async (request: IdRequest) => personal().get(await userOf(request), request.params.contact_id));

      scope.put('/0.1/personal/:contact_id', {
        schema: { tags, summary: 'Replace a personal contact', params: idParams },
        config: { acl: 'dird.personal.{contact_id}.update', errors: 'legacy' },
      }, async (request: IdRequest) => personal().update(await userOf(request), request.params.contact_id, request.body));

      scope.delete('/0.1/personal/:contact_id', {
        schema: { tags, summary: 'Delete a personal contact', params: idParams },
        config: { acl: 'dird.personal.{contact_id}.delete', errors: 'legacy' },
      }, async (request: IdRequest, reply: FastifyReply) => {
        await personal().delete(await userOf(request), request.params.contact_id);
        return reply.code(204).send();
      });

      scope.get<{ Params: { profile: string } }>('/0.1/directories/personal/:profile', {
        schema: { tags: ['directories'], summary: "The caller's personal contacts shown with a profile's display", params: paramsSchema('profile') },
        config: { acl: 'dird.directories.personal.{profile}.read', errors: 'legacy' },
      }, async (request) => {
        const name = request.params.profile;
        const tenant = await request.dird.tenant();
        const profile = await profiles().resolve(tenant, name);
        if (!profile) throw new LegacyError(404, `The profile \`${name}\` does not exist`);
        const user = await userOf(request);
        const results = await personal().forProfile(tenant, user);
        const favorites = await services.favorites?.favoriteChecker?.(profile, user);
        return formatResults(profile.display, results, favorites);
      });
    });

    // The import reads the raw body (any content type) to decode it with its charset.
    await app.register(async (scope) => {
      renderErrors(scope);
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: importMax }, (_request, body, done) => done(null, body));
      scope.post('/0.1/personal/import', {
        schema: { tags, summary: 'Import personal contacts from CSV' },
        config: { acl: 'dird.personal.import.create', errors: 'legacy' },
        bodyLimit: importMax,
      }, async (request, reply) => {
        const user = await userOf(request);
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const text = decode(body, request.headers['content-type']).replace(/^\uFEFF/, '');
        return reply.code(201).send(await personal().importCsv(await request.dird.tenant(), user, text));
      });
    });
  }
}
