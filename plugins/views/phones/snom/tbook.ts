// Snom "Remote XML Directory" (firmware ≥ 10.1.178): `tbook` › contact › first_name, last_name, numbers.
// The phone may fetch it with POST.
import type { NumberKind, PhonebookContact } from '../common/contacts.js';
import type { PhonebookFormat } from '../common/phonebook.js';
import { leaf, xmlDocument } from '../common/xml.js';

const snomType: Record<NumberKind, string> = { work: 'business', mobile: 'mobile', home: 'home', fax: 'fax', other: 'business' };

export function render(contacts: PhonebookContact[], _labels: unknown, complete: boolean): string {
  return xmlDocument('tbook', { e: '2', version: '2.0', complete: String(complete) }, (root) => {
    for (const contact of contacts) {
      const element = root.ele('contact').att({ fav: 'false', vip: 'false', blocked: 'false' });
      leaf(element, 'first_name', contact.firstname);
      leaf(element, 'last_name', contact.lastname);
      const numbers = element.ele('numbers');
      for (const { number, kind } of contact.numbers) numbers.ele('number').att({ no: number, type: snomType[kind], outgoing_id: '0' });
    }
  });
}

export const snomPhonebook: PhonebookFormat = {
  paths: ['/0.1/phonebooks/:profile/snom'],
  methods: ['GET', 'POST'],
  contentType: 'text/xml',
  render,
};
