// The GraphQL schema of wazo-dird (spec §2.10), as SDL. The computed fields (the root fields and
// `contacts`) are functions of the root value and of the objects it returns, called by the resolvers set
// below (graphql-jit, unlike graphql-js' default resolver, calls no function it is not told to); the
// contact type comes from `__typename`.
import { buildSchema, type GraphQLFieldResolver, type GraphQLInterfaceType, type GraphQLObjectType } from 'graphql';

const contactFields = `
  firstname: String
  lastname: String
  email: String
  wazoReverse: String
  wazoSourceEntryId: String
  wazoSourceName: String
  wazoBackend: String`;

const contactsField = `contacts(profile: String, extens: [String], before: String, after: String, first: Int, last: Int): ContactConnection`;

export const schema = buildSchema(`
type Query {
  hello: String
  me: UserMe
  user(uuid: String): User
}

type UserMe {
  userUuid: String
  ${contactsField}
}

type User {
  uuid: String
  ${contactsField}
}

interface ContactInterface {${contactFields}
}

type Contact implements ContactInterface {${contactFields}
}

type WazoContact implements ContactInterface {${contactFields}
  userId: Int
  userUuid: String
  endpointId: Int
  agentId: Int
}

type ContactConnection {
  pageInfo: PageInfo!
  edges: [ContactEdge]!
}

type ContactEdge {
  node: ContactInterface
  cursor: String!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}
`);

/** Calls the parent's own function `name` with the field's arguments. */
const ownFunction = (name: string): GraphQLFieldResolver<any, unknown> => (parent, args, context) => parent[name](args, context);
for (const [type, names] of [['Query', ['hello', 'me', 'user']], ['UserMe', ['contacts']], ['User', ['contacts']]] as const) {
  const fields = (schema.getType(type) as GraphQLObjectType).getFields();
  for (const name of names) fields[name].resolve = ownFunction(name);
}
(schema.getType('ContactInterface') as GraphQLInterfaceType).resolveType = (value) => value.__typename;
