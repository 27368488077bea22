import t from 'tap';
import { AclChecker, aclAllows } from '../../host/auth/acl.js';

const identity = { user_uuid: 'u-123', session_uuid: 's-456' };

// [granted ACLs, required access, expected]
const table: Array<[string[], string, boolean]> = [
  [['dird.status.read'], 'dird.status.read', true],
  [['dird.status.read'], 'dird.status.readx', false],
  [['dird.status.read'], 'xdird.status.read', false],
  [['dird.status'], 'dird.status.read', false],
  [['dird.*.read'], 'dird.status.read', true],
  [['dird.*.read'], 'dird.displays.abc.read', false],
  [['dird.*'], 'dird.a.b', false],
  [['dird.dis*.read'], 'dird.displays.read', true],
  [['dird.dis*.read'], 'dird.sources.read', false],
  [['dird.*.read'], 'dird.a#b.read', false],
  [['dird.#'], 'dird.displays.abc.read', true],
  [['dird.#'], 'dird', false],
  [['#'], 'anything.at.all', true],
  [['dird.#.read'], 'dird.directories.lookup.default.read', true],
  [['dird.#.read'], 'dird.directories.lookup.default.update', false],
  [['dird.me.read'], 'dird.me.read', true],
  [['dird.me.read'], 'dird.u-123.read', true],
  [['dird.me.read'], 'dird.u-999.read', false],
  [['dird.users.me.#'], 'dird.users.u-123.contacts.read', true],
  [['dird.mex.read'], 'dird.u-123.read', false],
  [['auth.sessions.my_session.delete'], 'auth.sessions.s-456.delete', true],
  [['auth.sessions.my_session.delete'], 'auth.sessions.my_session.delete', true],
  [['auth.sessions.my_session.delete'], 'auth.sessions.s-000.delete', false],
  [['dird.displays.edit'], 'dird.displays.update', true],
  [['dird.displays.update'], 'dird.displays.edit', true],
  [['dird.displays.update'], 'dird.displays.delete', false],
  [['dird.#', '!dird.config.#'], 'dird.config.read', false],
  [['dird.#', '!dird.config.#'], 'dird.status.read', true],
  [['!dird.config.#', 'dird.#'], 'dird.config.update', false],
  [['!dird.status.read'], 'dird.status.read', false],
  [['dird.config.read', '!dird.*.update'], 'dird.config.read', true],
  [['dird.(a|b).read'], 'dird.a.read', false],
  [['dird.(a|b).read'], 'dird.(a|b).read', true],
  [['dird.a+.read'], 'dird.aa.read', false],
  [['dird.a.read'], 'dird_a_read', false],
  [[], 'dird.status.read', false],
];

t.test('ACL matching table', async (t) => {
  for (const [acls, required, expected] of table) {
    t.equal(aclAllows(acls, required, identity), expected, `${JSON.stringify(acls)} ${expected ? 'grants' : 'denies'} ${required}`);
  }
});

t.test('me without a user uuid only matches the literal', async (t) => {
  t.equal(aclAllows(['dird.me.read'], 'dird.me.read', {}), true);
  t.equal(aclAllows(['dird.me.read'], 'dird..read', {}), false);
  t.equal(aclAllows(['dird.me.read'], 'dird.u-123.read', {}), false);
});

t.test('identity is per checker even when the ACL text is shared', async (t) => {
  const alice = new AclChecker(['dird.me.read'], { user_uuid: 'alice' });
  const bob = new AclChecker(['dird.me.read'], { user_uuid: 'bob' });
  t.equal(alice.allows('dird.alice.read'), true);
  t.equal(alice.allows('dird.bob.read'), false);
  t.equal(bob.allows('dird.bob.read'), true);
  t.equal(bob.allows('dird.alice.read'), false);
});

t.test('repeated checks stay correct', async (t) => {
  const checker = new AclChecker(['dird.directories.reverse.#', '!dird.directories.reverse.secret.#']);
  const start = process.hrtime.bigint();
  let granted = 0;
  for (let i = 0; i < 100_000; i++) {
    if (checker.allows(`dird.directories.reverse.default.user-${i % 500}.read`)) granted++;
  }
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  t.equal(granted, 100_000);
  t.equal(checker.allows('dird.directories.reverse.secret.x.read'), false);
  t.comment(`100k checks took ${elapsedMs.toFixed(1)} ms (a figure, not a goal: timing goals live in npm run bench)`);
});
