// Htek remote phonebook: provision `/0.1/directories/lookup/<profile>/htek?xivo_user_uuid=<uuid>` (the phone adds `&term=`).
import { vendorPlugin } from '../common/plugin.js';
import type { ResultsContext } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

export function results({ entries }: ResultsContext): string {
  return xmlDocument('PhoneDirectory', {}, (root) => {
    for (const entry of entries) {
      const element = root.ele('DirectoryEntry');
      leaf(element, 'Name', entry.name);
      leaf(element, 'Telephone', entry.number);
    }
  });
}

export const htek = { name: 'htek', contentType: 'text/xml', pageSize: null, results };

export default vendorPlugin(htek);
