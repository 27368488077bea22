// Routes of profiles (spec §2.4).
import type { FastifyRequest } from 'fastify';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { ProfileService } from '../../services/profile/index.js';
import { profileBodySchema } from '../../services/profile/schema.js';
import { listQuerySchema, parseListQuery } from '../common/list-params.js';
import { checkUuid, itemTenants, paramsSchema } from '../common/routes.js';

const list = { order: ['name'], searchable: ['uuid', 'name'] };
const tags = ['profiles'];
type ItemRequest = FastifyRequest<{ Params: { profile_uuid: string } }>;

export default class ProfilesView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    const profiles = () => services.profile as ProfileService;
    const params = paramsSchema('profile_uuid');
    const uuidOf = (request: ItemRequest) => checkUuid('profiles', request.params.profile_uuid);

    app.get('/0.1/profiles', {
      schema: { tags, summary: 'List profiles', querystring: listQuerySchema(list) },
      config: { acl: 'dird.profiles.read', errors: 'api' },
    }, async (request) => {
      const { params: listParams, recurse } = parseListQuery(request.query, list.searchable);
      return profiles().list(await request.dird.visibleTenants(recurse), listParams);
    });

    app.post('/0.1/profiles', {
      schema: { tags, summary: 'Create a profile', body: profileBodySchema },
      config: { acl: 'dird.profiles.create', errors: 'api' },
    }, async (request, reply) => {
      const profile = await profiles().create(await request.dird.tenant(), request.body);
      return reply.code(201).send(profile);
    });

    app.get('/0.1/profiles/:profile_uuid', {
      schema: { tags, summary: 'Get a profile', params },
      config: { acl: 'dird.profiles.{profile_uuid}.read', errors: 'api' },
    }, async (request: ItemRequest) => profiles().get(await itemTenants(request), uuidOf(request)));

    app.put('/0.1/profiles/:profile_uuid', {
      schema: { tags, summary: 'Replace a profile', params, body: profileBodySchema },
      config: { acl: 'dird.profiles.{profile_uuid}.update', errors: 'api' },
    }, async (request: ItemRequest, reply) => {
      await profiles().update(await itemTenants(request), uuidOf(request), request.body);
      return reply.code(204).send();
    });

    app.delete('/0.1/profiles/:profile_uuid', {
      schema: { tags, summary: 'Delete a profile', params },
      config: { acl: 'dird.profiles.{profile_uuid}.delete', errors: 'api' },
    }, async (request: ItemRequest, reply) => {
      await profiles().delete(await itemTenants(request), uuidOf(request));
      return reply.code(204).send();
    });
  }
}
