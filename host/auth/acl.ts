// wazo ACL matching (spec §1.1). Each ACL is compiled once to a regex source (cached); a token's ACL
// list becomes one positive and one negative union regex, and its verdicts are memoised per
// required ACL, so a repeated (token, required acl) check is a Map lookup.

export interface AclIdentity {
  user_uuid?: string | null;
  session_uuid?: string | null;
}

const MAX_SOURCES = 10_000;
const MAX_VERDICTS = 2_000;
const sources = new Map<string, string>();

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|\/#-]/g, '\\$&');
}

function segmentSource(segment: string, identity: AclIdentity): string {
  if (segment === 'me') return identity.user_uuid ? `(?:me|${escapeRegex(identity.user_uuid)})` : 'me';
  if (segment === 'my_session') {
    return identity.session_uuid ? `(?:my_session|${escapeRegex(identity.session_uuid)})` : 'my_session';
  }
  if (segment === 'edit' || segment === 'update') return '(?:edit|update)';
  let out = '';
  for (const ch of segment) {
    if (ch === '*') out += '[^.#]*';
    else if (ch === '#') out += '.*';
    else out += escapeRegex(ch);
  }
  return out;
}

function usesIdentity(acl: string): boolean {
  return /(?:^|\.)(?:me|my_session)(?:\.|$)/.test(acl);
}

/** Regex source (unanchored) of one positive ACL, cached. */
export function aclSource(acl: string, identity: AclIdentity = {}): string {
  const key = usesIdentity(acl) ? `${acl}\n${identity.user_uuid ?? ''}\n${identity.session_uuid ?? ''}` : acl;
  let source = sources.get(key);
  if (source === undefined) {
    source = acl.split('.').map((segment) => segmentSource(segment, identity)).join('\\.');
    if (sources.size >= MAX_SOURCES) sources.clear();
    sources.set(key, source);
  }
  return source;
}

function union(acls: string[], identity: AclIdentity): RegExp | null {
  if (acls.length === 0) return null;
  return new RegExp(`^(?:${acls.map((acl) => aclSource(acl, identity)).join('|')})$`, 's');
}

/** The ACL list of one token, ready to answer "does it grant this access?". */
export class AclChecker {
  private readonly positive: RegExp | null;
  private readonly negative: RegExp | null;
  private readonly verdicts = new Map<string, boolean>();

  constructor(acls: readonly string[], identity: AclIdentity = {}) {
    this.positive = union(acls.filter((acl) => !acl.startsWith('!')), identity);
    this.negative = union(acls.filter((acl) => acl.startsWith('!')).map((acl) => acl.slice(1)), identity);
  }

  allows(required: string): boolean {
    let verdict = this.verdicts.get(required);
    if (verdict === undefined) {
      verdict = !this.negative?.test(required) && (this.positive?.test(required) ?? false);
      if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.clear();
      this.verdicts.set(required, verdict);
    }
    return verdict;
  }
}

/** One-off check (tests, rare paths); prefer a long-lived AclChecker on hot paths. */
export function aclAllows(acls: readonly string[], required: string, identity: AclIdentity = {}): boolean {
  return new AclChecker(acls, identity).allows(required);
}
