// Renders every error in the shape its route uses (spec §1.3).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DirdError, FrameworkError, LegacyError, type FieldError } from '../../src/errors.js';

const now = () => Date.now() / 1000;

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
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
    const details = validationDetails(fastifyError);
    if (shape === 'legacy') {
      return reply.code(400).send({ reason: [fastifyError.message], timestamp: [now()], status_code: 400 });
    }
    return reply.code(400).send({ message: 'Sent data is invalid', error_id: 'invalid-data', details, timestamp: now() });
  }
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    return reply.code(fastifyError.statusCode).send({ message: fastifyError.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ message: 'Internal server error' });
}

type AjvError = NonNullable<FastifyError['validation']>[number] & { parentSchema?: Record<string, any>; data?: unknown };

/** ajv errors → `{field: [{constraint_id, constraint, message}]}` (wazo's invalid-data details). */
export function validationDetails(error: FastifyError): Record<string, FieldError[]> {
  const details: Record<string, FieldError[]> = {};
  for (const item of (error.validation ?? []) as AjvError[]) {
    const path = item.instancePath.split('/').filter(Boolean);
    if (item.keyword === 'required') path.push(String(item.params.missingProperty));
    if (item.keyword === 'additionalProperties') path.push(String(item.params.additionalProperty));
    const field = path.join('.') || error.validationContext || 'body';
    (details[field] ??= []).push(fieldError(item));
  }
  return details;
}

function fieldError(item: AjvError): FieldError {
  const schema = item.parentSchema ?? {};
  switch (item.keyword) {
    case 'required':
      return { constraint_id: 'required', constraint: 'required', message: 'Missing data for required field.' };
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const items = item.keyword.endsWith('Items');
      const constraint = { min: items ? schema.minItems : schema.minLength, max: items ? schema.maxItems : schema.maxLength };
      return { constraint_id: 'length', constraint, message: item.message ?? 'invalid length' };
    }
    case 'enum':
      return { constraint_id: 'enum', constraint: { choices: item.params.allowedValues }, message: item.message ?? 'invalid choice' };
    case 'type':
      return item.data === null
        ? { constraint_id: 'not_null', constraint: 'not_null', message: 'Field may not be null.' }
        : { constraint_id: 'type', constraint: item.params.type, message: `Not a valid ${item.params.type}.` };
    case 'additionalProperties':
      return { constraint_id: 'unknown', constraint: 'unknown', message: 'Unknown field.' };
    default:
      return { constraint_id: item.keyword, constraint: item.params, message: item.message ?? 'invalid' };
  }
}
