// Parsing and validation with graphql-js, execution with graphql-jit, which compiles each query once
// into a function (clients send the same few queries over and over: the Wazo SDK's reverse query on
// every call). Loaded apart from the view so that dird's start does not wait for the libraries.
import { parse, validate, type ExecutionResult, type GraphQLError } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { rootValue, type Context } from './resolvers.js';
import { schema } from './schema.js';

/** Compiled queries (or why they cannot run) by query text and operation name. */
const compiled = new Map<string, CompiledQuery | { status: number; errors: readonly GraphQLError[] }>();
const MAX_QUERIES = 500;

function compiledOf(query: string, operationName: string | null) {
  const key = `${operationName ?? ''}\u0000${query}`;
  let known = compiled.get(key);
  if (known) return known;
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    if (errors.length > 0) known = { status: 400, errors };
    else {
      const result = compileQuery(schema, document, operationName ?? undefined);
      // An unknown or ambiguous operation name: nothing to run.
      known = isCompiledQuery(result) ? result : { status: 400, errors: result.errors ?? [] };
    }
  } catch (error) {
    known = { status: 400, errors: [error as GraphQLError] };
  }
  if (compiled.size >= MAX_QUERIES) compiled.clear();
  compiled.set(key, known);
  return known;
}

/** The HTTP status and body of a query: 400 when it cannot run at all, else 200 with data and errors. */
export async function run(
  query: string,
  variables: Record<string, unknown> | null,
  operationName: string | null,
  contextValue: Context,
): Promise<{ status: number; body: ExecutionResult | { errors: unknown[] } }> {
  const known = compiledOf(query, operationName);
  if ('errors' in known) return { status: known.status, body: { errors: known.errors.map((error) => ('toJSON' in error ? error.toJSON() : error)) } };
  const result = await known.query(rootValue, contextValue, variables);
  // No data at all: the request itself was wrong (bad variables).
  return { status: result.data === undefined ? 400 : 200, body: result };
}
