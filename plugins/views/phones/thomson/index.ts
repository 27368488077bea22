// Thomson/Technicolor: provision `/0.1/directories/lookup/<profile>/thomson?xivo_user_uuid=<uuid>&term=#SEARCH`.
// A ThomsonPhoneBook of at most 8 rows, no paging (spec §2.5).
import { vendorPlugin } from '../common/plugin.js';
import type { ResultsContext } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

export function results({ entries }: ResultsContext): string {
  return xmlDocument('ThomsonPhoneBook', {}, (root) => {
    for (const entry of entries) {
      const element = root.ele('DirectoryEntry');
      leaf(element, 'Name', entry.name);
      leaf(element, 'Telephone', entry.number ? `Dial:${entry.number}` : '');
    }
  });
}

export const thomson = { name: 'thomson', contentType: 'text/xml', pageSize: 8, results };

export default vendorPlugin(thomson);
