// wazo-dird's `default_json` view: lookup, lookup for a user, and reverse lookup by profile (spec §2.1).
import type { FastifyRequest } from 'fastify';
import type { CallArgs, SourceResult, ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { formatResults } from '../../../src/display.js';
import { DirdError, FrameworkError, LegacyError } from '../../../src/errors.js';
import { sendAtTurnEnd } from '../../../host/http/send-at-turn-end.js';
import type { LookupService } from '../../services/lookup/index.js';
import type { ProfileService, ResolvedProfile } from '../../services/profile/index.js';
import type { ReverseService } from '../../services/reverse/index.js';

interface ProfileParams {
  profile: string;
}
interface UserParams extends ProfileParams {
  user_uuid: string;
}

const profileParams = { type: 'object', properties: { profile: { type: 'string' } }, required: ['profile'] };
const userParams = {
  type: 'object',
  properties: { profile: { type: 'string' }, user_uuid: { type: 'string' } },
  required: ['profile', 'user_uuid'],
};
const termQuery = { type: 'object', properties: { term: { type: 'string' } } };
const extenQuery = { type: 'object', properties: { exten: { type: 'string' } } };

export default class DirectoriesView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs) {
    const profiles: ProfileService = services.profile;
    const lookup: LookupService = services.lookup;
    const reverse: ReverseService = services.reverse;

    async function resolve(request: FastifyRequest, name: string, shape: 'legacy' | 'api'): Promise<ResolvedProfile> {
      const found = await profiles.resolve(await request.dird.tenant(), name);
      if (found) return found;
      if (shape === 'api') throw new DirdError(404, 'unknown-profile', `No such profile: "${name}"`, { uuid: name }, 'profiles');
      throw new LegacyError(404, `The profile \`${name}\` does not exist`);
    }

    async function callArgs(request: FastifyRequest, userUuid: string | null): Promise<CallArgs> {
      return { token: request.dird.token, user_uuid: userUuid, xivo_user_uuid: userUuid, tenant_uuid: await request.dird.tenant() };
    }

    async function lookupResponse(request: FastifyRequest, profile: ResolvedProfile, userUuid: string | null) {
      const { term } = request.query as { term?: string };
      if (term === undefined) throw new FrameworkError(400, { term: 'term is missing' });
      const results = await lookup.lookup(profile, term, await callArgs(request, userUuid));
      const favorites = await services.favorites?.favoriteChecker?.(profile, userUuid);
      return { ...formatResults(profile.display, results, favorites), term };
    }

    app.get<{ Params: ProfileParams }>('/0.1/directories/lookup/:profile', {
      schema: { tags: ['directories'], summary: 'Search the sources of a profile', params: profileParams, querystring: termQuery },
      config: { acl: 'dird.directories.lookup.{profile}.read', errors: 'legacy' },
    }, async (request) => {
      const profile = await resolve(request, request.params.profile, 'legacy');
      return lookupResponse(request, profile, (await request.dird.tokenInfo()).user_uuid);
    });

    app.get<{ Params: UserParams }>('/0.1/directories/lookup/:profile/:user_uuid', {
      schema: { tags: ['directories'], summary: 'Search the sources of a profile for a user', params: userParams, querystring: termQuery },
      config: { acl: 'dird.directories.lookup.{profile}.{user_uuid}.read', errors: 'api' },
    }, async (request) => {
      const profile = await resolve(request, request.params.profile, 'api');
      return lookupResponse(request, profile, request.params.user_uuid);
    });

    app.get<{ Params: UserParams }>('/0.1/directories/reverse/:profile/:user_uuid', {
      schema: { tags: ['directories'], summary: 'Find the contact of a number', params: userParams, querystring: extenQuery },
      config: { acl: 'dird.directories.reverse.{profile}.{user_uuid}.read', errors: 'legacy' },
    }, (request, reply) => {
      const { exten } = request.query as { exten?: string };
      if (exten === undefined) throw new FrameworkError(400, { exten: 'Missing required parameter in the query string' });
      const { profile: name, user_uuid } = request.params;
      const answer = (result: SourceResult | null) => ({
        display: (result?.fields.reverse as string | null | undefined) ?? null,
        exten,
        fields: result?.fields ?? {},
        source: result?.source ?? null,
      });
      // The caller-ID hot path: with the tenant and the profile already known, the sources are asked
      // without awaiting anything first, and answers the host holds are sent at the end of this turn
      // of the event loop, with the others answered in it (see send-at-turn-end.ts).
      const tenant = request.dird.knownTenant();
      const profile = tenant === undefined ? undefined : profiles.resolved(tenant, name);
      const found = profile
        ? reverse.reverseOrPromise(profile, exten, { token: request.dird.token, user_uuid, xivo_user_uuid: user_uuid, tenant_uuid: tenant! })
        : resolve(request, name, 'legacy').then(async (resolved) => reverse.reverse(resolved, exten, await callArgs(request, user_uuid)));
      if (found instanceof Promise) return found.then(answer);
      sendAtTurnEnd(reply, answer(found));
    });
  }
}
