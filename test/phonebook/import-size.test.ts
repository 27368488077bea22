// The size end of the import: a 10 MB file within the body limit, and one beyond it.
import t from 'tap';
import { onEveryDatabase, postRaw } from './setup.js';

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  const { body: book } = await admin.post('/0.1/phonebooks', { name: 'big' });
  const base = `/0.1/phonebooks/${book.uuid}/contacts`;
  const path = `${base}/import`;
  const contacts = async () => (await admin.get(base)).body.items as any[];

  await t.test('big files', async (t) => {
    // 10 MB within the 16 MiB body limit: imported, long values included.
    const value = 'x'.repeat(1024 * 1024);
    const rows = Array.from({ length: 10 }, (_, i) => `Name${i},${value}`);
    const big = `firstname,note\n${rows.join('\n')}\n`;
    t.ok(Buffer.byteLength(big) > 10_000_000);
    const reply = await postRaw(dird, path, big);
    t.equal(reply.status, 201);
    t.equal(reply.body.created.length, 10);
    t.equal((await contacts()).find((c) => c.firstname === 'Name3')?.note.length, value.length);
    const tooBig = await postRaw(dird, path, `firstname,note\nA,${'y'.repeat(17 * 1024 * 1024)}\n`);
    t.equal(tooBig.status, 413, 'beyond the body limit: 413, nothing written');
    t.equal((await contacts()).length, 10);
  });

});
