// fastify runs without a logger of its own: given one, it makes a child logger and listens for the end
// of every response, which cost about a fifth of a reverse lookup's CPU time (paired runs, README
// "Performance"). dird logs what goes wrong itself: its error handler logs the 500s, and this controller
// sends fastify's reports about failed responses to dird's logger. Per-request lines stay off, as before.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** Where a request went, for a log line: its method and path (never the query string). */
export const where = (request: FastifyRequest) => ({ method: request.raw.method, url: request.raw.url?.split('?')[0] });

export class FrameworkLog extends LogController {
  constructor(private readonly log: Logger) {
    super({ disableRequestLogging: true });
  }

  override writeHeadError(error: Error, request: FastifyRequest, _reply: FastifyReply): void {
    this.log.warn({ err: error, ...where(request) }, 'cannot write the response headers');
  }

  override serializerError(error: Error, request: FastifyRequest, _reply: FastifyReply, metadata: { statusCode: number }): void {
    this.log.error({ err: error, statusCode: metadata.statusCode, ...where(request) }, 'the response cannot be serialized');
  }

  override streamError(error: Error & { code?: string }, request: FastifyRequest, _reply: FastifyReply): void {
    if (error.code === 'ERR_STREAM_PREMATURE_CLOSE') return this.log.debug({ ...where(request) }, 'the client went away before the end of the response');
    this.log.warn({ err: error, ...where(request) }, 'response ended with an error after its headers were sent');
  }
}
