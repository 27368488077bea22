// The phonebook routes both views serve (spec §2.7 and its deprecated twin §2.8): phonebook CRUD,
// contact CRUD and CSV import below `base`. The views differ in how a phonebook is addressed (uuid or
// integer id), whose tenants they see, how list params are read, and their error shape.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorShape } from '../../../host/http/conventions.js';
import type { PhonebookKey, PhonebookListParams } from '../../../src/storage/phonebooks.js';
import type { ContactListParams, PhonebookService } from '../../services/phonebook/index.js';

export type Request = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, unknown> }>;

export interface PhonebookRoutes {
  /** e.g. '/0.1/phonebooks' */
  base: string;
  /** Path segment of one phonebook, a find-my-way param with its regex, e.g. ':phonebook_uuid(^…$)'. */
  item: string;
  /** ACL prefix, e.g. 'dird.phonebooks'; `{param}` is the phonebook param's name. */
  acl: string;
  param: string;
  errors: ErrorShape;
  tags: string[];
  /** JSON schema of path params (ACL substitution reads their formats). */
  params: Record<string, unknown>;
  phonebooksQuery?: Record<string, unknown>;
  contactsQuery?: Record<string, unknown>;
  key(request: Request): PhonebookKey;
  /** Tenants whose phonebooks a request sees (`list` says whether it is the list route). */
  tenants(request: Request, list: boolean): Promise<string[]>;
  /** Tenant a created phonebook belongs to. */
  createIn(request: Request): Promise<string>;
  phonebookList(request: Request): PhonebookListParams;
  contactList(request: Request): ContactListParams;
  importStatus: 200 | 201;
  importDeprecated: boolean;
  service(): PhonebookService;
}

export function phonebookRoutes(app: FastifyInstance, r: PhonebookRoutes): void {
  const one = `${r.base}/${r.item}`;
  const acl = `${r.acl}.{${r.param}}`;
  const config = (suffix: string) => ({ acl: suffix, errors: r.errors });
  const schema = (summary: string, extra: Record<string, unknown> = {}) => ({ tags: r.tags, summary, params: r.params, ...extra });
  const service = r.service;

  app.get(r.base, { schema: { tags: r.tags, summary: 'List phonebooks', params: r.params, querystring: r.phonebooksQuery }, config: config(`${r.acl}.read`) },
    async (request: Request) => service().list(await r.tenants(request, true), r.phonebookList(request)));

  app.post(r.base, { schema: { tags: r.tags, summary: 'Create a phonebook', params: r.params }, config: config(`${r.acl}.create`) },
    async (request: Request, reply: FastifyReply) => reply.code(201).send(await service().create(await r.createIn(request), request.body)));

  app.get(one, { schema: schema('Get a phonebook'), config: config(`${acl}.read`) },
    async (request: Request) => service().get(await r.tenants(request, false), r.key(request)));

  // ⚠ 200 with the phonebook (wazo-dird's spec says 204; clients rely on the body).
  app.put(one, { schema: schema('Update a phonebook'), config: config(`${acl}.update`) },
    async (request: Request) => service().update(await r.tenants(request, false), r.key(request), request.body));

  app.delete(one, { schema: schema('Delete a phonebook'), config: config(`${acl}.delete`) },
    async (request: Request, reply: FastifyReply) => {
      await service().delete(await r.tenants(request, false), r.key(request));
      return reply.code(204).send();
    });

  const contacts = `${one}/contacts`;
  app.get(contacts, { schema: schema('List contacts', { querystring: r.contactsQuery }), config: config(`${acl}.contacts.read`) },
    async (request: Request) => service().listContacts(await r.tenants(request, false), r.key(request), r.contactList(request)));

  app.post(contacts, { schema: schema('Create a contact'), config: config(`${acl}.contacts.create`) },
    async (request: Request, reply: FastifyReply) =>
      reply.code(201).send(await service().createContact(await r.tenants(request, false), r.key(request), request.body)));

  const contact = `${contacts}/:contact_uuid`;
  app.get(contact, { schema: schema('Get a contact'), config: config(`${acl}.contacts.{contact_uuid}.read`) },
    async (request: Request) => service().getContact(await r.tenants(request, false), r.key(request), request.params.contact_uuid));

  // ⚠ 200 with the contact (wazo-dird's spec says 204).
  app.put(contact, { schema: schema('Replace a contact'), config: config(`${acl}.contacts.{contact_uuid}.update`) },
    async (request: Request) =>
      service().updateContact(await r.tenants(request, false), r.key(request), request.params.contact_uuid, request.body));

  app.delete(contact, { schema: schema('Delete a contact'), config: config(`${acl}.contacts.{contact_uuid}.delete`) },
    async (request: Request, reply: FastifyReply) => {
      await service().deleteContact(await r.tenants(request, false), r.key(request), request.params.contact_uuid);
      return reply.code(204).send();
    });

  // The import body is CSV, not JSON: its own scope takes any body as raw bytes (decoded by its charset).
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post(`${contacts}/import`, { schema: schema('Import contacts from CSV'), config: config(`${acl}.contacts.create`) },
      async (request: Request, reply: FastifyReply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const tenants = await r.tenants(request, false);
        const run = r.importDeprecated ? service().importCsvDeprecated.bind(service()) : service().importCsv.bind(service());
        return reply.code(r.importStatus).send(await run(tenants, r.key(request), body, request.headers['content-type']));
      });
  });
}

export const UUID_PARAM = '(^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)';
