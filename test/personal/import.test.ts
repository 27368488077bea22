// CSV import of personal contacts (spec §5.4) and its bad inputs, on both stores.
import t from 'tap';
import { onEveryDatabase } from './setup.js';

const names = (items: any[]) => items.map((c) => c.firstname).sort();

await onEveryDatabase(t, async (t, { as }) => {
  const alice = as('alice');
  const load = (csv: string | Buffer, type?: string) => alice.send('/0.1/personal/import', csv, type);
  const reset = () => alice.delete('/0.1/personal');

  await t.test('valid rows are created, invalid ones reported by line', async (t) => {
    const csv = [
      'firstname,lastname,number',
      'Alice,A,1',
      'Bad,row',
      'Bob,B,2',
      'Bad,row,with,extra',
      '',
      'Carl,C,3',
      '"Multi',
      'line",D,4',
      'Eve,E',
    ].join('\n');
    const reply = await load(csv);
    t.equal(reply.status, 201);
    t.same(reply.body.failed, [
      { line: 3, errors: ['missing fields'] },
      { line: 5, errors: ['too many fields'] },
      { line: 10, errors: ['missing fields'] },
    ], 'line = physical lines consumed; blank lines count, multi-line cells too');
    t.same(names(reply.body.created), ['Alice', 'Bob', 'Carl', 'Multi\nline']);
    t.ok(reply.body.created.every((c: any) => typeof c.id === 'string'));
    t.same(names((await alice.get('/0.1/personal')).body.items), ['Alice', 'Bob', 'Carl', 'Multi\nline']);
    await reset();
  });

  await t.test('CRLF, a UTF-8 BOM and quoted cells', async (t) => {
    const reply = await load('\uFEFFfirstname,note\r\nZoé,"a, b"\r\nYann,""\r\n');
    t.equal(reply.status, 201);
    t.same(reply.body.created.map((c: any) => [c.firstname, c.note]).sort(), [['Yann', ''], ['Zoé', 'a, b']], 'empty strings are stored');
    t.ok(Object.hasOwn(reply.body.created[0], 'firstname'), 'the BOM is not part of the first header');
    await reset();
  });

  await t.test('the charset comes from the Content-Type', async (t) => {
    const cp1252 = Buffer.from('firstname\nC\xe9line\n', 'latin1');
    const reply = await load(cp1252, 'text/csv; charset=cp1252');
    t.equal(reply.status, 201);
    t.same(names(reply.body.created), ['Céline']);
    await reset();

    const wrong = await load(cp1252, 'text/csv; charset=utf-8');
    t.equal(wrong.status, 400, 'not UTF-8: 400');
    t.match(wrong.body, { reason: [/utf-8/], status_code: 400 });
    const unknown = await load('firstname\nA\n', 'text/csv; charset=klingon');
    t.equal(unknown.status, 400);
    t.same(unknown.body.reason, ['unknown charset: klingon']);
    t.equal((await load(cp1252, 'text/csv')).status, 400, 'UTF-8 is the default');
  });

  await t.test('files with nothing to create are 400', async (t) => {
    for (const csv of ['', 'firstname,lastname\n', '\n\n']) {
      const reply = await load(csv);
      t.equal(reply.status, 400, JSON.stringify(csv));
      t.same(reply.body.reason, ['No contact found']);
    }
    const allShort = await load('firstname,lastname\nA\nB\n');
    t.equal(allShort.status, 400);
    t.same(allShort.body.reason, [{ line: 2, errors: ['missing fields'] }, { line: 3, errors: ['missing fields'] }], 'reason = the failures');
    const extra = await load('firstname\nA,1\n');
    t.same(extra.body.reason, [{ line: 2, errors: ['too many fields'] }]);
    const emptyHeader = await load(',lastname\nx,A\n');
    t.equal(emptyHeader.status, 400);
    t.same(emptyHeader.body.reason, [{ line: 2, errors: ['"" is a forbidden in keys'] }]);
    const duplicate = await load('firstname,number,firstname\nA,1,B\n');
    t.equal(duplicate.status, 400);
    t.same(duplicate.body.reason, ['duplicate columns in the header: firstname']);
    const unbalanced = await load('firstname\n"open\n');
    t.equal(unbalanced.status, 400, 'a CSV syntax error');
    t.match(unbalanced.body.reason[0], /^invalid CSV/);
    t.same((await alice.get('/0.1/personal')).body.items, [], 'nothing was created');
  });

  await t.test('ids: taken ids fail, duplicates collapse or return the existing contact', async (t) => {
    const existing = (await as('bob').post('/0.1/personal', { firstname: 'Bob' })).body;
    const mine = (await alice.post('/0.1/personal', { firstname: 'Same', number: '1' })).body;
    const reply = await load([
      'id,firstname,number',
      `${existing.id},Thief,9`,
      'fresh-id,New,2',
      ',Same,1',
      ',Twin,3',
      ',Twin,3',
      'fresh-id,Again,4',
    ].join('\n').replace(/\n,/g, '\nX,').replace(/X,/g, ','));
    t.equal(reply.status, 201);
    t.same(reply.body.failed, [
      { line: 2, errors: [`contact "${existing.id}" already exist`] },
      { line: 7, errors: ['contact "fresh-id" already exist'] },
    ]);
    const created = reply.body.created;
    t.ok(created.some((c: any) => c.id === 'fresh-id' && c.firstname === 'New'), 'an id column names the contact');
    t.ok(created.some((c: any) => c.id === mine.id), 'an existing contact comes back with its id');
    t.equal(created.filter((c: any) => c.firstname === 'Twin').length, 1, 'identical rows collapse');
    t.equal((await alice.get('/0.1/personal')).body.items.length, 3);
    t.equal((await as('bob').get(`/0.1/personal/${existing.id}`)).body.firstname, 'Bob', "bob's contact is untouched");
    await reset();
    await as('bob').delete('/0.1/personal');
  });

  await t.test('formulas are stored as text', async (t) => {
    const reply = await load('firstname,number\n"=cmd|\' /C calc\'!A0",+331\n');
    t.equal(reply.status, 201);
    t.same(reply.body.created.map((c: any) => [c.firstname, c.number]), [["=cmd|' /C calc'!A0", '+331']]);
    const neutralised = await load("firstname\n'=1+1\n'plain\n");
    t.same(names(neutralised.body.created), ["'plain", '=1+1'], "a quote before a formula character is the export's and is removed");
    await reset();
  });

  await t.test('a 10 MB file is refused with 413 before parsing', async (t) => {
    const row = 'Firstname,Lastname,0123456789\n';
    const big = 'firstname,lastname,number\n' + row.repeat(Math.ceil((10 * 1024 * 1024) / row.length));
    const reply = await load(big);
    t.equal(reply.status, 413);
    t.match(reply.body, { reason: ['the CSV file is too large'], status_code: 413 });
    t.same((await alice.get('/0.1/personal')).body.items, []);
  });

  await t.test('a 1,000-row file imports', async (t) => {
    const rows = Array.from({ length: 1000 }, (_, i) => `First${i},Last${i},${5550000 + i}`);
    const reply = await load(['firstname,lastname,number', ...rows].join('\n'));
    t.equal(reply.status, 201);
    t.equal(reply.body.created.length, 1000);
    t.equal((await alice.get('/0.1/personal')).body.items.length, 1000);
    t.equal((await load(['firstname,lastname,number', ...rows].join('\n'))).body.created.length, 1000, 're-import returns the same contacts');
    t.equal((await alice.get('/0.1/personal')).body.items.length, 1000, 'and creates none');
    await reset();
  });
});
