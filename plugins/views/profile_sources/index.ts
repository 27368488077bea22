// GET /directories/{profile}/sources: the distinct sources a profile uses (spec §2.1).
import type { FastifyRequest } from 'fastify';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { NotFoundError } from '../../../src/errors.js';
import type { ProfileService } from '../../services/profile/index.js';
import { fold, listInMemory } from '../common/in-memory.js';
import { listQuerySchema, parseListQuery } from '../common/list-params.js';
import { paramsSchema, sourceSummary } from '../common/routes.js';

const list = { order: ['name', 'backend'], searchable: ['uuid', 'name', 'backend'], recurse: false };

export default class ProfileSourcesView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    app.get('/0.1/directories/:profile/sources', {
      schema: { tags: ['directories'], summary: 'List the sources of a profile', params: paramsSchema('profile'), querystring: listQuerySchema(list) },
      config: { acl: 'dird.directories.{profile}.sources.read', errors: 'api' },
    }, async (request: FastifyRequest<{ Params: { profile: string } }>) => {
      const { params } = parseListQuery(request.query, list.searchable);
      const name = request.params.profile;
      const resolved = await (services.profile as ProfileService).resolve(await request.dird.tenant(), name);
      if (!resolved) throw new NotFoundError('profiles', name);
      const distinct = new Map<string, ReturnType<typeof sourceSummary>>();
      for (const service of Object.values(resolved.services)) {
        for (const source of service.sources) distinct.set(source.uuid, sourceSummary(source));
      }
      return listInMemory([...distinct.values()], params, {
        insensitive: ['name', 'backend'],
        matches: (item, search) => fold(item.name).includes(fold(search)) || fold(item.backend).includes(fold(search)),
      });
    });
  }
}
