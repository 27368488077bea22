// A dird with `latency` fixture sources (test/fixtures/plugins/latency) and profiles over them.
import type { TestDird } from '../helpers/dird.js';

export function reverseClient(dird: TestDird) {
  const headers = { 'x-auth-token': dird.tokens.admin };
  return {
    async source(name: string, fields: Record<string, unknown>): Promise<{ uuid: string }> {
      const reply = await dird.inject({ method: 'POST', url: '/0.1/backends/latency/sources', headers,
        payload: { name, first_matched_columns: ['number'], format_columns: { reverse: '{firstname}' }, ...fields } });
      if (reply.statusCode !== 200) throw new Error(`source ${name}: ${reply.body}`);
      return { uuid: reply.json().uuid };
    },
    profile(name: string, sources: { uuid: string }[], options: Record<string, unknown>) {
      return dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: { name, services: { reverse: { sources, options } } } });
    },
    /** The display of the reverse lookup of `exten` through profile `profile`. */
    async reverse(profile: string, exten: string): Promise<string | null> {
      const reply = await dird.inject({ url: `/0.1/directories/reverse/${profile}/${dird.users.admin}?exten=${exten}`, headers });
      if (reply.statusCode !== 200) throw new Error(`reverse ${profile}: ${reply.body}`);
      return reply.json().display;
    },
    /** The source names (null where none) that GraphQL's reverseMany picked for `extens`. */
    async reverseMany(profile: string, extens: string[]): Promise<(string | null)[]> {
      const query = 'query($p: String, $e: [String]) { me { contacts(profile: $p, extens: $e) { edges { node { firstname } } } } }';
      const reply = await dird.inject({ method: 'POST', url: '/0.1/graphql', headers, payload: { query, variables: { p: profile, e: extens } } });
      const body = reply.json();
      if (!body.data) throw new Error(`graphql ${profile}: ${reply.body}`);
      return body.data.me.contacts.edges.map((edge: any) => edge.node?.firstname ?? null);
    },
  };
}
