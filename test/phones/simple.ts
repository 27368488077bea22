// Readers of the vendors whose result page is a flat list of DirectoryEntry (Name, Telephone).
import { parseXml, textOf } from './setup.js';
import type { Entry } from './checks.js';

export function directoryEntries(text: string, root: string, telephone: (value: string) => string = (v) => v): Entry[] {
  const document = parseXml(text);
  const element = document[root]?.[0];
  if (!element) throw new Error(`no <${root}> root in ${text}`);
  return (element.DirectoryEntry ?? []).map((e: any) => ({ name: textOf(e.Name), number: telephone(textOf(e.Telephone)) }));
}
