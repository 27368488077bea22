// JSON-schema validation whose failures read like wazo-dird's (marshmallow) ones:
// details map a field's dotted path to a list of {constraint_id, constraint, message}.
// Shared by the host's error handler (route schemas) and the services (their own checks).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InvalidDataError, type FieldError } from './errors.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An ajv instance like the host's body validator, minus type coercion (bodies arrive coerced). */
export function makeAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
  ajv.addFormat('uuid', UUID_RE);
  ajv.addFormat('uri', (s: string) => isUrl(s));
  ajv.addFormat('url', (s: string) => isUrl(s));
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv;
}

function isUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** Validates (and fills defaults into) a deep copy of `body`; throws InvalidDataError. */
export function validateWith<T>(validate: ValidateFunction, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidDataError({ _schema: [fieldError('type', 'object', 'Invalid input type.')] });
  }
  const copy = structuredClone(body);
  if (!validate(copy)) throw new InvalidDataError(detailsOf(validate.errors ?? []));
  return copy as T;
}

export function fieldError(constraint_id: string, constraint: unknown, message: string): FieldError {
  return { constraint_id, constraint, message };
}

type Details = Record<string, FieldError[]>;

/** Adds `error` under the dotted path of its field, as the host renders route validation errors. */
export function addDetail(details: Details, path: string[], error: FieldError): void {
  const list = (details[path.join('.') || '_schema'] ??= []);
  if (!list.some((e) => e.constraint_id === error.constraint_id)) list.push(error);
}

export function detailsOf(errors: ErrorObject[]): Details {
  const details: Details = {};
  for (const error of errors) {
    const converted = convert(error);
    if (converted) addDetail(details, converted.path, converted.error);
  }
  return details;
}

function pointerPath(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function convert(e: ErrorObject): { path: string[]; error: FieldError } | null {
  const path = pointerPath(e.instancePath);
  const p = e.params as Record<string, any>;
  const parent = (e.parentSchema ?? {}) as Record<string, any>;
  switch (e.keyword) {
    case 'required':
      return { path: [...path, p.missingProperty], error: fieldError('required', 'required', 'Missing data for required field.') };
    case 'additionalProperties':
      return { path: [...path, p.additionalProperty], error: fieldError('unknown', 'unknown', 'Unknown field.') };
    case 'type': {
      if (e.data === null) return { path, error: fieldError('not_null', 'not_null', 'Field may not be null.') };
      const type = String(p.type).split(',')[0];
      return { path, error: fieldError('type', type, typeMessage(type)) };
    }
    case 'minLength':
    case 'maxLength':
      return { path, error: lengthError(parent.minLength, parent.maxLength) };
    case 'minItems':
    case 'maxItems':
      return { path, error: lengthError(parent.minItems, parent.maxItems) };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, error: rangeError(parent) };
    case 'enum':
      return { path, error: fieldError('enum', { choices: p.allowedValues }, `Must be one of: ${p.allowedValues.join(', ')}.`) };
    case 'format':
      return { path, error: fieldError('type', p.format, `Not a valid ${p.format === 'uuid' ? 'UUID' : p.format}.`) };
    case 'if':
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
      return null; // their failing branches report the useful errors
    default:
      return { path, error: fieldError(e.keyword, p, e.message ?? 'Invalid value.') };
  }
}

function typeMessage(type: string): string {
  const names: Record<string, string> = { object: 'mapping', array: 'list' };
  return `Not a valid ${names[type] ?? type}.`;
}

function lengthError(min: number | undefined, max: number | undefined): FieldError {
  const constraint: Record<string, number> = {};
  if (min !== undefined) constraint.min = min;
  if (max !== undefined) constraint.max = max;
  let message: string;
  if (min !== undefined && max !== undefined) message = `Length must be between ${min} and ${max}.`;
  else if (min !== undefined) message = `Shorter than minimum length ${min}.`;
  else message = `Longer than maximum length ${max}.`;
  return fieldError('length', constraint, message);
}

function rangeError(schema: Record<string, any>): FieldError {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  const constraint: Record<string, unknown> = {};
  if (min !== undefined) constraint.min = min;
  if (max !== undefined) constraint.max = max;
  if (schema.exclusiveMinimum !== undefined) constraint.min_inclusive = false;
  if (schema.exclusiveMaximum !== undefined) constraint.max_inclusive = false;
  const lower = min === undefined ? '' : schema.exclusiveMinimum !== undefined ? `greater than ${min}` : `greater than or equal to ${min}`;
  const upper = max === undefined ? '' : schema.exclusiveMaximum !== undefined ? `less than ${max}` : `less than or equal to ${max}`;
  const message = `Must be ${[lower, upper].filter(Boolean).join(' and ')}.`;
  return fieldError('range', constraint, message);
}
