import t from 'tap';
import { onEveryDatabase, postRaw, UNKNOWN_UUID } from './setup.js';

const importError = (id: string) => ({ error_id: `phonebook-contact-import-${id}`, message: String, details: Object, timestamp: Number, resource: 'contacts' });

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  let count = 0;
  /** A fresh phonebook: its import path and a function counting its contacts. */
  const phonebook = async () => {
    const { body } = await admin.post('/0.1/phonebooks', { name: `import ${++count}` });
    const base = `/0.1/phonebooks/${body.uuid}/contacts`;
    return { path: `${base}/import`, contacts: async () => (await admin.get(base)).body.items as any[] };
  };

  await t.test('valid rows are created, duplicates skipped', async (t) => {
    const { path, contacts } = await phonebook();
    const csv = 'firstname,lastname,number\r\nAlice,Liddell,1001\r\n\r\nBob,Builder,1002\nAlice,Liddell,1001\n';
    const first = await postRaw(dird, path, csv);
    t.equal(first.status, 201);
    t.same(first.body.failed, []);
    t.same(first.body.created.map((c: any) => c.firstname).sort(), ['Alice', 'Bob'], 'a row repeating an earlier one is skipped; blank lines too');
    t.match(first.body.created[0], { id: /^[0-9a-f-]{36}$/, lastname: String, number: String });
    t.equal((await contacts()).length, 2);

    const again = await postRaw(dird, path, csv);
    t.equal(again.status, 201);
    t.same(again.body, { created: [], failed: [] }, 'importing the same file twice creates nothing');

    const mixed = await postRaw(dird, path, 'firstname,lastname,number\nAlice,Liddell,1001\nCarol,Singer,1003\n');
    t.same(mixed.body.created.map((c: any) => c.firstname), ['Carol'], 'rows duplicating existing contacts are skipped');
    t.equal((await contacts()).length, 3);

    const withId = await postRaw(dird, path, 'id,firstname\nmine,Dan\n');
    t.equal(withId.status, 201);
    t.not(withId.body.created[0].id, 'mine', 'an id column is dropped');
  });

  await t.test('a UTF-8 BOM, quoted cells and formulas are kept as data', async (t) => {
    const { path, contacts } = await phonebook();
    const csv = '\ufefffirstname,note\n"Doe, Jane","said ""hi"""\nMallory,"=cmd|\' /C calc\'!A0"\nEve,+1+1\n';
    const reply = await postRaw(dird, path, csv);
    t.equal(reply.status, 201);
    const stored = await contacts();
    t.same(stored.map((c) => [c.firstname, c.note]).sort(), [
      ['Doe, Jane', 'said "hi"'],
      ['Eve', '+1+1'],
      ['Mallory', "=cmd|' /C calc'!A0"],
    ], 'formulas are stored verbatim: dird never evaluates cells, and nothing is exported as a spreadsheet');
    t.ok('firstname' in stored[0], 'the BOM is not part of the first header');
  });

  await t.test('charsets', async (t) => {
    const { path, contacts } = await phonebook();
    const latin1 = Buffer.from('firstname,lastname\nÉmile,Zoé\n', 'latin1');
    const wrong = await postRaw(dird, path, latin1, 'text/csv; charset=utf-8');
    t.equal(wrong.status, 400, 'latin-1 bytes sent as UTF-8');
    t.match(wrong.body, { ...importError('bad-encoding'), details: { charset: 'utf-8', error: String } });
    const unknown = await postRaw(dird, path, latin1, 'text/csv; charset=klingon');
    t.equal(unknown.status, 400);
    t.match(unknown.body, { ...importError('bad-encoding'), details: { charset: 'klingon', error: String } });
    t.same(await contacts(), [], 'nothing written');
    const right = await postRaw(dird, path, latin1, 'text/csv; charset=iso-8859-1');
    t.equal(right.status, 201);
    t.match(right.body.created, [{ firstname: 'Émile', lastname: 'Zoé' }]);
    const cp1252 = await postRaw(dird, path, Buffer.from([...Buffer.from('firstname\n'), 0x80, 0x0a]), 'text/csv; charset="windows-1252"');
    t.match(cp1252.body.created, [{ firstname: '€' }]);
    const none = await postRaw(dird, path, 'firstname\nÅsa\n', 'text/csv');
    t.match(none.body.created, [{ firstname: 'Åsa' }], 'UTF-8 by default');
  });

  await t.test('files that hold no contact', async (t) => {
    const { path } = await phonebook();
    for (const [body, line_count] of [['', 0], ['invalid', 1], ['invalid\n', 1], ['a,b\n\n\n', 3]] as const) {
      const reply = await postRaw(dird, path, body);
      t.equal(reply.status, 400, JSON.stringify(body));
      t.match(reply.body, { ...importError('empty-file'), details: { line_count, byte_count: Buffer.byteLength(body) } }, JSON.stringify(body));
    }
  });

  await t.test('malformed files', async (t) => {
    const { path, contacts } = await phonebook();
    const duplicates = await postRaw(dird, path, 'name,number,name,number,x\na,1,b,2,c\n');
    t.equal(duplicates.status, 400);
    t.match(duplicates.body, { ...importError('duplicate-columns'), details: { duplicates: ['name', 'number'] } });
    const syntax = await postRaw(dird, path, 'firstname,lastname\n"unterminated,x\n');
    t.equal(syntax.status, 400);
    t.match(syntax.body, importError('invalid-file'));
    t.same(await contacts(), []);
  });

  await t.test('one invalid row and nothing is written', async (t) => {
    const { path, contacts } = await phonebook();
    const ragged = await postRaw(dird, path, 'firstname,lastname\nAlice,Liddell\nBob,Builder,extra,cells\nCarol\n');
    t.equal(ragged.status, 400);
    t.match(ragged.body, importError('bad-contacts'));
    t.same(ragged.body.details.errors, [{
      contact: { firstname: 'Bob', lastname: 'Builder', null: ['extra', 'cells'] },
      message: 'Contacts cannot have null keys: the row has more cells than the header',
      index: 1,
    }], 'extra cells under "null"; a short row is valid (missing cells are null)');
    t.same(await contacts(), [], 'the valid rows were not written either');

    const emptyHeader = await postRaw(dird, path, ',lastname\nx,Liddell\ny,Builder\n');
    t.equal(emptyHeader.status, 400);
    t.same(emptyHeader.body.details.errors.map((e: any) => [e.index, e.message]), [[0, 'Contacts cannot have empty keys'], [1, 'Contacts cannot have empty keys']]);

    const short = await postRaw(dird, path, 'firstname,lastname\nCarol\n');
    t.equal(short.status, 201);
    t.same(short.body.created.map((c: any) => ({ ...c, id: undefined })), [{ firstname: 'Carol', lastname: null, id: undefined }]);
  });

  await t.test('unknown phonebook, ACLs', async (t) => {
    const missing = await postRaw(dird, `/0.1/phonebooks/${UNKNOWN_UUID}/contacts/import`, 'a\nb\n');
    t.equal(missing.status, 404);
    t.match(missing.body, { reason: [/No such phonebook/], status_code: 404 });
    const { path } = await phonebook();
    t.equal((await postRaw(dird, path, 'a\nb\n', 'text/csv', 'noacl')).status, 401);
    t.equal((await postRaw(dird, path, 'a\nb\n', 'text/csv', 'other')).status, 404, "another tenant's phonebook");
  });
});
