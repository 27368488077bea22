// Migration 0002: wazo-dird indexes dird_contact.phonebook_uuid; this index also keeps the contacts of a
// phonebook in uuid order, so the phonebook back-end's paged loads read a short index range per page
// (each page is a synchronous read on SQLite, hence on the host's event loop) instead of sorting the
// whole phonebook every time.
import type { Kysely, Migration } from 'kysely';

export const phonebookContactIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('dird_contact_phonebook_uuid_idx').on('dird_contact').columns(['phonebook_uuid', 'uuid']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('dird_contact_phonebook_uuid_idx').ifExists().execute();
  },
};
