// Aastra/Mitel XML: an input screen, then a text menu whose items dial (spec §2.2).
import { withQuery } from '../common/links.js';
import type { PageContext, ResultsContext } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

export function input({ labels, userUuid, target }: PageContext): string {
  return xmlDocument('AastraIPPhoneInputScreen', { type: 'string', editable: 'yes' }, (root) => {
    leaf(root, 'Title', labels.search_title);
    leaf(root, 'Prompt', labels.prompt_colon);
    leaf(root, 'URL', withQuery(target, [['xivo_user_uuid', userUuid]]));
    leaf(root, 'Parameter', 'term');
  });
}

export function results({ labels, entries, prevUrl, nextUrl }: ResultsContext): string {
  return xmlDocument('AastraIPPhoneTextMenu', { style: 'none', destroyOnExit: 'yes' }, (root) => {
    const item = (prompt: string, uri: string | null) => {
      const element = root.ele('MenuItem');
      leaf(element, 'Prompt', prompt);
      if (uri !== null) leaf(element, 'URI', uri);
    };
    if (prevUrl) item(labels.previous_page, prevUrl);
    for (const entry of entries) item(entry.name, entry.number ? `Dial:${entry.number}` : null);
    if (nextUrl) item(labels.next_page, nextUrl);
  });
}
