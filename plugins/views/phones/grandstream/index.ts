// Grandstream XML phonebook (GXP/GRP/DP): the phone downloads `<server path>/phonebook.xml` periodically,
// so the user is in the path: provision `<host>:9498/0.1/phonebooks/<profile>/grandstream/<uuid>`.
import type { NumberKind, PhonebookContact } from '../common/contacts.js';
import type { PhonebookFormat } from '../common/phonebook.js';
import { vendorPlugin } from '../common/plugin.js';
import { leaf, xmlDocument } from '../common/xml.js';

const phoneType: Record<NumberKind, string> = { work: 'Work', mobile: 'Mobile', home: 'Home', fax: 'Fax', other: 'Other' };

export function render(contacts: PhonebookContact[]): string {
  return xmlDocument('AddressBook', {}, (root) => {
    leaf(root, 'version', 1);
    for (const contact of contacts) {
      const element = root.ele('Contact');
      // At least one of the two is required: a one-word name goes in FirstName.
      leaf(element, 'LastName', contact.lastname);
      leaf(element, 'FirstName', contact.firstname || contact.name);
      for (const { number, kind } of contact.numbers) {
        const phone = element.ele('Phone').att('type', phoneType[kind]);
        leaf(phone, 'phonenumber', number);
        leaf(phone, 'accountindex', 0);
      }
    }
  });
}

export const grandstreamPhonebook: PhonebookFormat = {
  paths: ['/0.1/phonebooks/:profile/grandstream/:user_uuid/phonebook.xml', '/0.1/phonebooks/:profile/grandstream/:user_uuid'],
  methods: ['GET'],
  contentType: 'text/xml',
  render,
};

export default vendorPlugin(null, grandstreamPhonebook);
