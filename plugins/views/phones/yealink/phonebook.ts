// Yealink remote phonebook, downloaded whole: `YealinkIPPhoneBook` › Menu › Unit (Name, Phone1–3).
import type { PhonebookContact } from '../common/contacts.js';
import type { Labels } from '../common/labels.js';
import type { PhonebookFormat } from '../common/phonebook.js';
import { xmlDocument, xmlText } from '../common/xml.js';

export function render(contacts: PhonebookContact[], labels: Labels): string {
  return xmlDocument('YealinkIPPhoneBook', {}, (root) => {
    root.ele('Title').txt(xmlText(labels.directory_title));
    const menu = root.ele('Menu').att('Name', xmlText(labels.directory_title));
    for (const contact of contacts) {
      const unit = menu.ele('Unit').att('Name', xmlText(contact.name));
      for (let i = 0; i < 3; i++) unit.att(`Phone${i + 1}`, contact.numbers[i]?.number ?? '');
    }
  });
}

export const yealinkPhonebook: PhonebookFormat = {
  paths: ['/0.1/phonebooks/:profile/yealink'],
  methods: ['GET'],
  contentType: 'text/xml',
  render,
};
