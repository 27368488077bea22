// CORS as wazo daemons serve it: any origin, the configured request headers. Requests without an
// Origin header (PBXs, phones, servers: the hot path) cost one property read; @fastify/cors spent
// about an eighth of a reverse lookup's host time on every request, browser or not.
import type { FastifyInstance } from 'fastify';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

export function serveCors(app: FastifyInstance, allowHeaders: string[]): void {
  const allowed = allowHeaders.join(', ');
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers.origin === undefined) return done();
    reply.header('Access-Control-Allow-Origin', '*');
    done();
  });
  // Preflight: answered for every path, before auth (browsers send no token on OPTIONS).
  app.options('*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .code(204)
      .header('Access-Control-Allow-Methods', ALLOWED_METHODS)
      .header('Access-Control-Allow-Headers', allowed)
      .header('Access-Control-Max-Age', '600')
      .header('Content-Length', '0')
      .send(),
  );
}
