// Yealink remote phonebook search: provision
// `/0.1/yealink/directories/lookup/<profile>?xivo_user_uuid=<uuid>&term=#SEARCH` (spec §2.6).
import { vendorPlugin } from '../common/plugin.js';
import { yealinkPhonebook } from './phonebook.js';
import type { ResultsContext } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

export function results({ entries }: ResultsContext): string {
  return xmlDocument('YealinkIPPhoneDirectory', {}, (root) => {
    for (const entry of entries) {
      const element = root.ele('DirectoryEntry');
      leaf(element, 'Name', entry.name);
      leaf(element, 'Telephone', entry.number);
    }
  });
}

export const yealink = {
  name: 'yealink',
  contentType: 'text/xml',
  pageSize: null,
  // An XML object is at most 10,000 bytes: past it the phone gets the first rows that fit, whole.
  maxBytes: 10_000,
  results,
};

export default vendorPlugin(yealink, yealinkPhonebook);
