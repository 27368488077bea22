// CiscoIPPhone XML: a menu leading to an input screen leading to a directory (spec §2.1).
import { withQuery } from '../common/links.js';
import type { PageContext, ResultsContext } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

export function menu({ labels, userUuid, target }: PageContext): string {
  return xmlDocument('CiscoIPPhoneMenu', {}, (root) => {
    const item = root.ele('MenuItem');
    leaf(item, 'Name', labels.directory_title);
    leaf(item, 'URL', withQuery(target, [['xivo_user_uuid', userUuid]]));
  });
}

export function input({ labels, userUuid, target }: PageContext): string {
  return xmlDocument('CiscoIPPhoneInput', {}, (root) => {
    leaf(root, 'Title', labels.search_title);
    leaf(root, 'Prompt', labels.prompt_colon);
    leaf(root, 'URL', withQuery(target, [['xivo_user_uuid', userUuid]]));
    const item = root.ele('InputItem');
    leaf(item, 'DisplayName', labels.prompt);
    leaf(item, 'QueryStringParam', 'term');
    leaf(item, 'DefaultValue', '');
    leaf(item, 'InputFlags', 'A');
  });
}

export function results({ labels, entries, prevUrl, nextUrl }: ResultsContext): string {
  return xmlDocument('CiscoIPPhoneDirectory', {}, (root) => {
    for (const entry of entries) {
      const element = root.ele('DirectoryEntry');
      leaf(element, 'Name', entry.name);
      leaf(element, 'Telephone', entry.number);
    }
    if (!prevUrl && !nextUrl) return;
    const key = (name: string, url: string, position: number) => {
      const item = root.ele('SoftKeyItem');
      leaf(item, 'Name', name);
      leaf(item, 'URL', url);
      leaf(item, 'Position', position);
    };
    key(labels.dial, 'SoftKey:Dial', 1);
    if (prevUrl) key(labels.prev_page_key, prevUrl, 2);
    key(labels.exit, 'SoftKey:Exit', 3);
    if (nextUrl) key(labels.next_page_key, nextUrl, 4);
  });
}
