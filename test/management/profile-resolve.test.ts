// The profile service's resolution of a profile name: what directory queries use on every request.
import t from 'tap';
import { createChangeFeed } from '../../host/changes.js';
import { ProfileService } from '../../plugins/services/profile/index.js';
import { openStore } from '../../src/storage/open.js';
import type { Store } from '../../src/storage/store.js';
import { databases } from '../helpers/databases.js';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const OTHER = '00000000-0000-4000-8000-0000000000bb';

/** The store, counting the calls services make on its repositories. */
function counted(store: Store): { store: Store; calls: () => number } {
  let calls = 0;
  const wrap = <T extends object>(repo: T): T =>
    new Proxy(repo, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls += 1;
          return value.apply(target, args);
        };
      },
    });
  const proxy = Object.create(store) as Store;
  Object.assign(proxy, { profiles: wrap(store.profiles), displays: wrap(store.displays), sources: wrap(store.sources), tenants: wrap(store.tenants) });
  return { store: proxy, calls: () => calls };
}

const source = (name: string) => ({ name, searched_columns: ['a'], first_matched_columns: [], format_columns: {} });

for (const database of databases) {
  await t.test(database.name, async (t) => {
    const { uri, cleanup } = await database.open();
    const real = await openStore(uri);
    t.teardown(async () => {
      await real.close();
      await cleanup();
    });
    const { store, calls } = counted(real);
    const changes = createChangeFeed();
    const service = new ProfileService(store, changes);
    t.teardown(() => service.close());

    const display = await real.displays.create(TENANT, { name: 'd', columns: [{ field: 'fn', title: 'Name', type: null, default: null, number_display: null }] });
    const s1 = await real.sources.create(TENANT, 'csv', { ...source('s1'), file: '/x.csv' });
    const s2 = await real.sources.create(TENANT, 'schemaless', source('s2'));
    const profile = await service.create(TENANT, {
      name: 'default',
      display: { uuid: display.uuid },
      services: { lookup: { sources: [{ uuid: s2.uuid }, { uuid: s1.uuid }] }, reverse: { sources: [{ uuid: s1.uuid }], options: { timeout: 0.5 } } },
    });

    await t.test('resolves display and source configs, in order', async (t) => {
      const resolved = await service.resolve(TENANT, 'default');
      t.ok(resolved);
      t.equal(resolved!.profile.uuid, profile.uuid);
      t.same(resolved!.display?.columns[0], { field: 'fn', title: 'Name', type: null, default: null, number_display: null });
      t.same(resolved!.services.lookup.sources.map((s) => s.name), ['s2', 's1']);
      t.equal(resolved!.services.lookup.sources[1].file, '/x.csv', 'whole source configs');
      t.same(resolved!.services.lookup.options, {});
      t.same(resolved!.services.reverse.options, { timeout: 0.5 });
      t.equal(await service.resolve(OTHER, 'default'), null, 'only in exactly that tenant');
      t.equal(await service.resolve(TENANT, 'Default'), null, 'names are exact');
    });

    await t.test('a cached profile costs no database call', async (t) => {
      await service.resolve(TENANT, 'default');
      const before = calls();
      const [a, b] = await Promise.all([service.resolve(TENANT, 'default'), service.resolve(TENANT, 'default')]);
      t.equal(calls(), before, 'no store call');
      t.equal(a, b, 'the same resolved value');
    });

    await t.test('concurrent first resolutions share one load', async (t) => {
      changes.publish('profile', profile.uuid);
      const before = calls();
      await Promise.all(Array.from({ length: 5 }, () => service.resolve(TENANT, 'default')));
      const perLoad = calls() - before;
      changes.publish('profile', profile.uuid);
      const again = calls();
      await service.resolve(TENANT, 'default');
      t.equal(perLoad, calls() - again, 'five concurrent resolutions cost one load');
    });

    await t.test('any change drops the cache', async (t) => {
      await service.update([TENANT], profile.uuid, { name: 'default', display: { uuid: display.uuid }, services: { lookup: { sources: [{ uuid: s1.uuid }] } } });
      t.same((await service.resolve(TENANT, 'default'))!.services.lookup.sources.map((s) => s.name), ['s1'], 'profile edit');

      await real.sources.update([TENANT], s1.uuid, 'csv', { ...source('s1-renamed'), file: '/y.csv' });
      t.equal((await service.resolve(TENANT, 'default'))!.services.lookup.sources[0].name, 's1', 'unpublished edits stay cached');
      changes.publish('source', s1.uuid);
      t.equal((await service.resolve(TENANT, 'default'))!.services.lookup.sources[0].name, 's1-renamed', 'source edit');

      await real.displays.delete([TENANT], display.uuid);
      changes.publish('display', display.uuid);
      t.equal((await service.resolve(TENANT, 'default'))!.display, null, 'a deleted display resolves as null');

      await service.delete([TENANT], profile.uuid);
      t.equal(await service.resolve(TENANT, 'default'), null, 'profile deleted');
    });

    await t.test('unknown profiles are not cached', async (t) => {
      t.equal(await service.resolve(TENANT, 'later'), null);
      await real.profiles.create(TENANT, { name: 'later', display: null, services: {} });
      const resolved = await service.resolve(TENANT, 'later');
      t.equal(resolved?.profile.name, 'later', 'found once created, with no change published');
      t.equal(resolved?.display, null);
    });
  });
}
