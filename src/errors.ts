// Errors that carry their HTTP meaning. The host renders them in the shape the route uses
// (spec §1.3: "API" shape for modern resources, "legacy" shape for directory queries).

export class DirdError extends Error {
  constructor(
    readonly status: number,
    readonly errorId: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly resource?: string,
  ) {
    super(message);
  }
}

export type Resource = 'displays' | 'profiles' | 'sources' | 'phonebooks';
const singular: Record<Resource, string> = { displays: 'display', profiles: 'profile', sources: 'source', phonebooks: 'phonebook' };

/** 404 `unknown-display` / `unknown-profile` / `unknown-source`. */
export class NotFoundError extends DirdError {
  constructor(resource: Resource, uuid: string) {
    const kind = singular[resource];
    super(404, `unknown-${kind}`, `No such ${kind}: "${uuid}"`, { uuid }, resource);
  }
}

/** 409 `conflict` on a duplicate name within a tenant. */
export class ConflictError extends DirdError {
  constructor(resource: Resource, name: string) {
    super(409, 'conflict', 'Conflict detected', {
      name: { constraint_id: 'unique', message: `The name "${name}" is already used` },
    }, resource);
  }
}

/** 400 `unknown-display` / `unknown-source`: a reference to a resource outside the tenant. */
export class InvalidReferenceError extends DirdError {
  constructor(kind: 'display' | 'source', uuid: string) {
    super(400, `unknown-${kind}`, `No such ${kind}: "${uuid}"`, { uuid }, `${kind}s`);
  }
}

export interface FieldError {
  constraint_id: string;
  constraint: unknown;
  message: string;
}

/** 400 `invalid-data` with per-field details. */
export class InvalidDataError extends DirdError {
  constructor(details: Record<string, FieldError | FieldError[] | unknown>) {
    super(400, 'invalid-data', 'Sent data is invalid', details);
  }
}

/** An error native to a legacy route: rendered as `{reason: [message], timestamp: [t], status_code}`. */
export class LegacyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A framework-shaped 400 (`{"message": {...}}`), e.g. a missing required query parameter. */
export class FrameworkError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}
