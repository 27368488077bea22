// Parsing, validation and execution with graphql-js, loaded apart from the view so that dird's start does
// not wait for the library: the view imports this module in the background.
import { execute, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import { rootValue, type Context } from './resolvers.js';
import { schema } from './schema.js';

/** Parsed and validated documents by query text: clients send the same few queries over and over. */
const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
const MAX_DOCUMENTS = 500;

function documentOf(query: string): DocumentNode | readonly GraphQLError[] {
  let document = documents.get(query);
  if (document) return document;
  try {
    const parsed = parse(query);
    const errors = validate(schema, parsed);
    document = errors.length > 0 ? errors : parsed;
  } catch (error) {
    document = [error as GraphQLError];
  }
  if (documents.size >= MAX_DOCUMENTS) documents.clear();
  documents.set(query, document);
  return document;
}

/** The HTTP status and body of a query: 400 when it cannot run at all, else 200 with data and errors. */
export async function run(
  query: string,
  variables: Record<string, unknown> | null,
  operationName: string | null,
  contextValue: Context,
): Promise<{ status: number; body: ExecutionResult | { errors: unknown[] } }> {
  const document = documentOf(query);
  if (!('kind' in document)) return { status: 400, body: { errors: document.map((error) => error.toJSON()) } };
  const result = await execute({ schema, document, rootValue, contextValue, variableValues: variables, operationName });
  // No data at all: the request itself was wrong (unknown operation, bad variables).
  return { status: result.data === undefined ? 400 : 200, body: result };
}
