// Documents are built with xmlbuilder2, which escapes every text and attribute value.
import { create } from 'xmlbuilder2';
export type Element = ReturnType<typeof create>;

// XML 1.0 cannot carry these at all (not even escaped): a source's stray control character is dropped.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).replace(NOT_XML_CHAR, '');
}

/** `<name>text</name>` under `parent`; returns `parent` so calls chain. */
export function leaf(parent: Element, name: string, value: unknown): Element {
  const element = parent.ele(name);
  const text = xmlText(value);
  if (text !== '') element.txt(text);
  return parent;
}

/** A UTF-8 XML document whose root is built by `build`. */
export function xmlDocument(root: string, attributes: Record<string, string | number>, build: (root: Element) => void): string {
  const document = create({ version: '1.0', encoding: 'UTF-8' });
  const element = document.ele(root);
  for (const [name, value] of Object.entries(attributes)) element.att(name, xmlText(value));
  build(element);
  return document.end({ prettyPrint: false });
}

const HTML_DOCTYPE = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">';

/** An HTML 4.01 Transitional page (Polycom's microbrowser), built and escaped like the XML documents. */
export function htmlDocument(build: (html: Element) => void): string {
  const document = create();
  build(document.ele('html'));
  return `${HTML_DOCTYPE}\n${document.end({ headless: true, prettyPrint: false })}`;
}
