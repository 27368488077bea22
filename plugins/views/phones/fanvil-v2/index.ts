// Fanvil V/i series: provision `/0.1/directories/lookup/<profile>/fanvil-v2?xivo_user_uuid=<uuid>&term=` in `<xmlContact><Addr>`.
import { vendorPlugin } from '../common/plugin.js';
import type { ResultsContext } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

export function results({ entries }: ResultsContext): string {
  return xmlDocument('PhoneBook', {}, (root) => {
    for (const entry of entries) {
      const element = root.ele('DirectoryEntry');
      leaf(element, 'Name', entry.name);
      leaf(element, 'Telephone', entry.number);
      leaf(element, 'Mobile', '');
      leaf(element, 'Other', '');
      leaf(element, 'Ring', 'Default');
      leaf(element, 'Group', '');
    }
  });
}

export const fanvilV2 = { name: 'fanvil-v2', contentType: 'text/xml', pageSize: null, results };

export default vendorPlugin(fanvilV2);
