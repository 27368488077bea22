// The phonebook back-end's own source fields (spec §4): the phonebook it reads. Its name is the
// phonebook's (read-only: `name` in a body is ignored).
export const configSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    name: { readOnly: true },
    phonebook_uuid: { type: 'string', format: 'uuid' },
  },
  required: ['phonebook_uuid'],
};
