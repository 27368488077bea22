// `graphql_view`: POST (and GET) /0.1/graphql (spec §2.10). The route itself needs no ACL: each root
// field checks its own, so introspection is open and a refused field is an error beside the others' data.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { Context } from './resolvers.js';

interface GraphqlParams {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const badRequest = (reply: FastifyReply, message: string) => reply.code(400).send({ errors: [{ message }] });

export default class GraphqlView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    const engine = import('./engine.js');
    engine.catch(() => {});
    const handle = async (request: FastifyRequest, reply: FastifyReply, params: GraphqlParams) => {
      if (typeof params.query !== 'string' || params.query === '') return badRequest(reply, 'Must provide query string.');
      let variables = params.variables ?? null;
      if (typeof variables === 'string') {
        try {
          variables = variables === '' ? null : JSON.parse(variables);
        } catch {
          return badRequest(reply, 'Variables are invalid JSON.');
        }
      }
      if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return badRequest(reply, 'Variables must be an object.');
      if (params.operationName !== undefined && params.operationName !== null && typeof params.operationName !== 'string') {
        return badRequest(reply, 'operationName must be a string.');
      }
      const contextValue: Context = { request, profiles: services.profile, reverse: services.reverse };
      const operationName = (params.operationName as string | undefined) ?? null;
      const { status, body } = await (await engine).run(params.query, variables as Record<string, unknown> | null, operationName, contextValue);
      return reply.code(status).send(body);
    };

    const tags = ['graphql'];
    app.post('/0.1/graphql', { schema: { tags, summary: 'Run a GraphQL query' }, config: { errors: 'api' } },
      (request, reply) => {
        const body = request.body;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) return badRequest(reply, 'The body must be a JSON object.');
        return handle(request, reply, body as GraphqlParams);
      });
    app.get('/0.1/graphql', { schema: { tags, summary: 'Run a GraphQL query from the query string' }, config: { errors: 'api' } },
      (request, reply) => handle(request, reply, (request.query ?? {}) as GraphqlParams));
  }
}
