// Phonebook and contact bodies (spec §2.7): checked here so refusals read like wazo-dird's legacy ones.
import { LegacyError } from '../../../src/errors.js';
import type { PhonebookInput } from '../../../src/storage/phonebooks.js';

/** What is wrong with a contact body, or null. */
export function contactProblem(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'Contacts must be objects';
  const keys = Object.keys(body);
  if (keys.filter((key) => key !== 'id').length === 0) return 'Contacts cannot be empty';
  if (keys.includes('')) return 'Contacts cannot have empty keys';
  if (keys.includes('null')) return 'Contacts cannot have null keys';
  for (const value of Object.values(body)) {
    if (value !== null && typeof value === 'object') return 'Contact values cannot be objects or arrays';
  }
  return null;
}

/** A contact body without its `id` (the phonebook assigns ids). */
export function parseContact(body: unknown): Record<string, unknown> {
  const problem = contactProblem(body);
  if (problem) throw new LegacyError(400, problem);
  const { id: _id, ...fields } = body as Record<string, unknown>;
  return fields;
}

export function parsePhonebook(body: unknown): PhonebookInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new LegacyError(400, "{'_schema': ['Invalid input type.']}");
  }
  const { name, description } = body as Record<string, unknown>;
  const errors: string[] = [];
  if (name === undefined) errors.push("'name': ['Missing data for required field.']");
  else if (typeof name !== 'string') errors.push("'name': ['Not a valid string.']");
  else if (name.length < 1 || name.length > 255) errors.push("'name': ['Length must be between 1 and 255.']");
  if (description !== undefined && description !== null && typeof description !== 'string') {
    errors.push("'description': ['Not a valid string.']");
  }
  if (errors.length) throw new LegacyError(400, `{${errors.join(', ')}}`);
  return { name: name as string, description: (description as string | null | undefined) ?? null };
}
