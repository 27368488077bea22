// Snom XML minibrowser: an input screen, then a menu whose items dial (spec §2.4).
import { withQuery } from '../common/links.js';
import type { PageContext, ResultsContext } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

/** The phone replaces this token, in the URL, with what the user typed. */
const TOKEN = '__X__';

export function input({ labels, userUuid, target }: PageContext): string {
  return xmlDocument('SnomIPPhoneInput', {}, (root) => {
    leaf(root, 'Title', labels.search_title);
    leaf(root, 'Prompt', labels.prompt_colon);
    // Escaped as `&amp;` (well-formed), where phoned writes a raw `&`.
    leaf(root, 'Url', withQuery(target, [['xivo_user_uuid', userUuid], ['term', TOKEN]]));
    const item = root.ele('InputItem');
    leaf(item, 'DisplayName', labels.prompt);
    leaf(item, 'InputToken', TOKEN);
    leaf(item, 'DefaultValue', '');
    leaf(item, 'InputFlags', 'a');
  });
}

export function results({ labels, entries, prevUrl, nextUrl }: ResultsContext): string {
  return xmlDocument('SnomIPPhoneMenu', {}, (root) => {
    leaf(root, 'Title', labels.directory_title);
    for (const entry of entries) {
      const item = root.ele('MenuItem').att('name', entry.name);
      if (!entry.number) continue;
      leaf(item, 'Url', `snom://mb_nop#numberdial=${entry.number}`);
      leaf(item, 'ExtraText', entry.number);
    }
    const key = (label: string, url: string, name: string) => {
      const item = root.ele('SoftKeyItem');
      leaf(item, 'Label', label);
      leaf(item, 'URL', url);
      leaf(item, 'Name', name);
    };
    if (prevUrl) key(labels.prev_page_key, prevUrl, 'F2');
    if (nextUrl) key(labels.next_page_key, nextUrl, 'F4');
  });
}
