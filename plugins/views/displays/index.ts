// Routes of displays (spec §2.3).
import type { FastifyRequest } from 'fastify';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { DisplayService } from '../../services/display/index.js';
import { displayBodySchema } from '../../services/display/schema.js';
import { listQuerySchema, parseListQuery } from '../common/list-params.js';
import { checkUuid, itemTenants, paramsSchema } from '../common/routes.js';

const list = { order: ['name'], searchable: ['uuid', 'name'] };
const tags = ['displays'];
type ItemRequest = FastifyRequest<{ Params: { display_uuid: string } }>;

export default class DisplaysView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    const displays = () => services.display as DisplayService;
    const params = paramsSchema('display_uuid');
    const uuidOf = (request: ItemRequest) => checkUuid('displays', request.params.display_uuid);

    app.get('/0.1/displays', {
      schema: { tags, summary: 'List displays', querystring: listQuerySchema(list) },
      config: { acl: 'dird.displays.read', errors: 'api' },
    }, async (request) => {
      const { params: listParams, recurse } = parseListQuery(request.query, list.searchable);
      return displays().list(await request.dird.visibleTenants(recurse), listParams);
    });

    app.post('/0.1/displays', {
      schema: { tags, summary: 'Create a display', body: displayBodySchema },
      config: { acl: 'dird.displays.create', errors: 'api' },
    }, async (request, reply) => {
      const display = await displays().create(await request.dird.tenant(), request.body);
      return reply.code(201).send(display);
    });

    app.get('/0.1/displays/:display_uuid', {
      schema: { tags, summary: 'Get a display', params },
      config: { acl: 'dird.displays.{display_uuid}.read', errors: 'api' },
    }, async (request: ItemRequest) => displays().get(await itemTenants(request), uuidOf(request)));

    app.put('/0.1/displays/:display_uuid', {
      schema: { tags, summary: 'Replace a display', params, body: displayBodySchema },
      config: { acl: 'dird.displays.{display_uuid}.update', errors: 'api' },
    }, async (request: ItemRequest, reply) => {
      await displays().update(await itemTenants(request), uuidOf(request), request.body);
      return reply.code(204).send();
    });

    app.delete('/0.1/displays/:display_uuid', {
      schema: { tags, summary: 'Delete a display', params },
      config: { acl: 'dird.displays.{display_uuid}.delete', errors: 'api' },
    }, async (request: ItemRequest, reply) => {
      await displays().delete(await itemTenants(request), uuidOf(request));
      return reply.code(204).send();
    });
  }
}
