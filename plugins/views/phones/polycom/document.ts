// Polycom microbrowser pages: an HTML search form, then an ordered list of tel: links (spec §2.3).
import type { PageContext, ResultsContext } from '../common/vendor.js';
import { htmlDocument, leaf, xmlText } from '../common/xml.js';

export function input({ labels, userUuid, target }: PageContext): string {
  return htmlDocument((html) => {
    leaf(html.ele('head'), 'title', labels.search_title);
    const form = html.ele('body').ele('form').att({ method: 'get', action: target, 'accept-charset': 'utf-8' });
    form.txt(xmlText(labels.prompt_colon));
    form.ele('input').att({ type: 'text', name: 'term', size: '15' });
    form.ele('input').att({ type: 'hidden', name: 'xivo_user_uuid', value: xmlText(userUuid) });
    form.ele('input').att({ type: 'submit', value: labels.search });
  });
}

export function results({ labels, entries, prevUrl, nextUrl }: ResultsContext): string {
  return htmlDocument((html) => {
    leaf(html.ele('head'), 'title', labels.directory_title);
    const list = html.ele('body').ele('ol');
    const pageLink = (url: string, title: string) =>
      list.ele('li').ele('a').att({ href: url, title }).txt(`[${title}]`);
    if (prevUrl) pageLink(prevUrl, labels.previous_page);
    for (const entry of entries) {
      const item = list.ele('li');
      if (entry.number) item.ele('a').att('href', `tel://${entry.number}`).txt(xmlText(entry.name) || entry.number);
      else item.txt(xmlText(entry.name));
      item.ele('br');
    }
    if (nextUrl) pageLink(nextUrl, labels.next_page);
  });
}
