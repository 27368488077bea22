// The favorites routes of wazo-dird's `default_json` view (spec §2.1): list by profile, add, remove.
// A source name may contain `/`: PUT/DELETE take the rest of the path and split it at its last `/`.
import type { FastifyRequest } from 'fastify';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { formatResults } from '../../../src/display.js';
import { LegacyError } from '../../../src/errors.js';
import type { FavoritesService } from '../../services/favorites/index.js';
import type { ProfileService } from '../../services/profile/index.js';
import { paramsSchema } from '../common/routes.js';

interface FavoriteParams {
  '*': string;
  directory: string;
  contact: string;
}

const tags = ['favorites'];
const itemParams = {
  type: 'object',
  properties: { '*': { type: 'string' }, directory: { type: 'string' }, contact: { type: 'string' } },
};

async function userOf(request: FastifyRequest): Promise<string> {
  const { user_uuid } = await request.dird.tokenInfo();
  if (!user_uuid) throw new LegacyError(401, 'This token has no user UUID');
  return user_uuid;
}

export default class FavoritesView implements ViewPlugin {
  async load({ app, services }: ViewLoadArgs): Promise<void> {
    const favorites = () => services.favorites as FavoritesService;
    const profiles = () => services.profile as ProfileService;

    app.get<{ Params: { profile: string } }>('/0.1/directories/favorites/:profile', {
      schema: { tags, summary: "The caller's favorite contacts of a profile", params: paramsSchema('profile') },
      config: { acl: 'dird.directories.favorites.{profile}.read', errors: 'legacy' },
    }, async (request) => {
      const name = request.params.profile;
      const tenant = await request.dird.tenant();
      const profile = await profiles().resolve(tenant, name);
      if (!profile) throw new LegacyError(404, `The profile \`${name}\` does not exist`);
      const user = await userOf(request);
      const args = { token: request.dird.token, user_uuid: user, xivo_user_uuid: user, tenant_uuid: tenant };
      return formatResults(profile.display, await favorites().list(profile, user, args), undefined, true);
    });

    await app.register(async (scope) => {
      // Runs before the route's auth hook, which substitutes {directory} and {contact} into the ACL.
      scope.addHook('onRequest', async (request) => {
        const params = request.params as FavoriteParams;
        const rest = params['*'] ?? '';
        const cut = rest.lastIndexOf('/');
        params.directory = cut < 0 ? '' : rest.slice(0, cut);
        params.contact = cut < 0 ? rest : rest.slice(cut + 1);
      });
      const checked = (params: FavoriteParams) => {
        if (params.directory === '' || params.contact === '') throw new LegacyError(404, `No such favorite: ${params['*']}`);
        return params;
      };

      scope.put<{ Params: FavoriteParams }>('/0.1/directories/favorites/*', {
        schema: { tags, summary: 'Mark a contact of a source as favorite', params: itemParams },
        config: { acl: 'dird.directories.favorites.{directory}.{contact}.update', errors: 'legacy' },
      }, async (request, reply) => {
        const { directory, contact } = checked(request.params);
        await favorites().add(await request.dird.tenant(), await userOf(request), directory, contact);
        return reply.code(204).send();
      });

      scope.delete<{ Params: FavoriteParams }>('/0.1/directories/favorites/*', {
        schema: { tags, summary: 'Unmark a favorite', params: itemParams },
        config: { acl: 'dird.directories.favorites.{directory}.{contact}.delete', errors: 'legacy' },
      }, async (request, reply) => {
        const { directory, contact } = checked(request.params);
        await favorites().remove(await request.dird.tenant(), await userOf(request), directory, contact);
        return reply.code(204).send();
      });
    });
  }
}
