// Fanvil XML (legacy models): an input screen, then a directory with paging soft keys (spec §2.9).
import { withQuery } from '../common/links.js';
import type { PageContext, ResultsContext } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

export function input({ labels, userUuid, target }: PageContext): string {
  return xmlDocument('FanvilIPPhoneInputScreen', {}, (root) => {
    leaf(root, 'Title', labels.search_title);
    leaf(root, 'Prompt', labels.prompt_colon);
    leaf(root, 'URL', withQuery(target, [['xivo_user_uuid', userUuid]]));
    const field = root.ele('InputField');
    leaf(field, 'Prompt', labels.prompt);
    leaf(field, 'Parameter', 'term');
    leaf(field, 'Default', '');
  });
}

export function results({ labels, entries, prevUrl, nextUrl }: ResultsContext): string {
  return xmlDocument('FanvilIPPhoneDirectory', {}, (root) => {
    for (const entry of entries) {
      const item = root.ele('MenuItem');
      leaf(item, 'Prompt', entry.name);
      leaf(item, 'URI', entry.number);
    }
    if (!prevUrl && !nextUrl) return;
    const key = (name: string, uri: string) => {
      const item = root.ele('SoftKey');
      leaf(item, 'Name', name);
      leaf(item, 'URI', uri);
    };
    key(labels.dial, 'SoftKey:Dial');
    if (prevUrl) key(labels.prev_page_key, prevUrl);
    key(labels.exit, 'SoftKey:Exit');
    if (nextUrl) key(labels.next_page_key, nextUrl);
  });
}
