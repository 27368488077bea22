// Renders every error in the shape its route uses (spec §1.3).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { DirdError, FrameworkError, LegacyError } from '../../src/errors.js';
import { detailsOf } from '../../src/validation.js';
import { where } from './framework-log.js';

const now = () => Date.now() / 1000;

/** The error handler of a fastify app; unexpected errors (500) are logged to `log`. */
export function errorHandler(log: Logger) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => renderError(error, request, reply, log);
}

function renderError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply, log: Logger) {
  const shape = request.routeOptions.config?.errors ?? 'api';
  if (error instanceof FrameworkError) return reply.code(error.status).send({ message: error.body });
  if (error instanceof LegacyError) {
    return reply.code(error.status).send({ reason: [error.message], timestamp: [now()], status_code: error.status });
  }
  if (error instanceof DirdError) {
    if (shape === 'legacy') {
      return reply.code(error.status).send({ reason: [error.message], timestamp: now(), status_code: error.status });
    }
    const body: Record<string, unknown> = { message: error.message, error_id: error.errorId, details: error.details, timestamp: now() };
    if (error.resource) body.resource = error.resource;
    return reply.code(error.status).send(body);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = detailsOf(fastifyError.validation as Parameters<typeof detailsOf>[0]);
    if (shape === 'legacy') {
      return reply.code(400).send({ reason: [fastifyError.message], timestamp: [now()], status_code: 400 });
    }
    return reply.code(400).send({ message: 'Sent data is invalid', error_id: 'invalid-data', details, timestamp: now() });
  }
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    return reply.code(fastifyError.statusCode).send({ message: fastifyError.message });
  }
  log.error({ err: error, ...where(request) }, 'unhandled error');
  return reply.code(500).send({ message: 'Internal server error' });
}
