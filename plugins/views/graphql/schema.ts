// The GraphQL schema of wazo-dird (spec §2.10), as SDL: resolvers are the root value's and the
// objects' own functions (graphql-js' default field resolver), the contact type comes from `__typename`.
import { buildSchema } from 'graphql';

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
