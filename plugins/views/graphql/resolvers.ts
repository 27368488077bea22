// Root fields of the GraphQL schema: each checks its own ACL (`dird.graphql.<field>`), then `contacts`
// reverses the given numbers through the profile's reverse sources (reverseMany, spec §3.2).
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { SourceResult } from '../../../src/contracts.js';
import { DirdError } from '../../../src/errors.js';
import type { ProfileService } from '../../services/profile/index.js';
import type { ReverseService } from '../../services/reverse/index.js';
import { connectionOf, type ConnectionArgs } from './connection.js';

export interface Context {
  request: FastifyRequest;
  profiles: ProfileService;
  reverse: ReverseService;
}

interface ContactsArgs extends ConnectionArgs {
  profile?: string | null;
  extens?: (string | null)[] | null;
}

/** A DirdError as a GraphQL error: same error_id/details, answered with HTTP 200. */
function graphqlError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof DirdError) {
    return new GraphQLError(error.message, {
      extensions: { error_id: error.errorId, details: error.details, timestamp: Date.now() / 1000 },
    });
  }
  return new GraphQLError(error instanceof Error ? error.message : String(error));
}

async function guarded<T>(context: Context, field: string, run: () => Promise<T>): Promise<T> {
  try {
    await context.request.dird.requireAcl(`dird.graphql.${field}`);
    return await run();
  } catch (error) {
    throw graphqlError(error);
  }
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const integer = (value: unknown) => (value === null || value === undefined || !Number.isFinite(Number(value)) ? null : Number(value));

function contactOf(result: SourceResult) {
  const { fields, relations } = result;
  const contact: Record<string, unknown> = {
    __typename: result.backend === 'wazo' ? 'WazoContact' : 'Contact',
    firstname: text(fields.firstname),
    lastname: text(fields.lastname),
    email: text(fields.email),
    wazoReverse: text(fields.reverse),
    wazoSourceEntryId: relations.source_entry_id,
    wazoSourceName: result.source,
    wazoBackend: result.backend,
  };
  if (result.backend === 'wazo') {
    Object.assign(contact, {
      userId: integer(relations.user_id),
      userUuid: text(relations.user_uuid),
      endpointId: integer(relations.endpoint_id),
      agentId: integer(relations.agent_id),
    });
  }
  return contact;
}

/** `contacts(profile, extens)` of a user: one edge per exten, in input order, node null when unmatched. */
function contactsOf(userUuid: string | null) {
  return async (args: ContactsArgs, context: Context) => {
    try {
      const name = args.profile ?? '';
      const tenant = await context.request.dird.tenant();
      const profile = name ? await context.profiles.resolve(tenant, name) : null;
      if (!profile) throw new DirdError(404, 'unknown-profile', `No such profile: "${name}"`, { name }, 'profiles');
      const extens = (args.extens ?? []).map((exten) => exten ?? '');
      const results = extens.length === 0 ? [] : await context.reverse.reverseMany(profile, extens, {
        token: context.request.dird.token, user_uuid: userUuid, xivo_user_uuid: userUuid, tenant_uuid: tenant,
      });
      return connectionOf(results.map((result) => (result ? contactOf(result) : null)), args);
    } catch (error) {
      throw graphqlError(error);
    }
  };
}

export const rootValue = {
  hello: (_args: unknown, context: Context) => guarded(context, 'hello', async () => 'world'),
  me: (_args: unknown, context: Context) =>
    guarded(context, 'me', async () => {
      const { user_uuid } = await context.request.dird.tokenInfo();
      return { userUuid: user_uuid, contacts: contactsOf(user_uuid) };
    }),
  user: (args: { uuid?: string | null }, context: Context) =>
    guarded(context, 'user', async () => ({ uuid: args.uuid ?? null, contacts: contactsOf(args.uuid ?? null) })),
};
