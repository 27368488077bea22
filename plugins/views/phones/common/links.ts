// Links back to dird in the documents: the scheme, host and path the phone called, with percent-encoded
// query values (the XML builder then escapes the `&` separators).
import type { FastifyRequest } from 'fastify';

/** The URL the phone called, without its query (it follows whatever host and port the phone used). */
export function baseUrl(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  return `${request.protocol}://${request.host}${path}`;
}

/** The same URL for another page of the directory: `…/menu/…` → `…/input/…` → `…/lookup/…`. */
export function pageUrl(base: string, from: 'menu' | 'input', to: 'input' | 'lookup'): string {
  return base.replace(`/${from}/`, `/${to}/`);
}

/** `base?name=value&…` in the given order, null/undefined values left out. */
export function withQuery(base: string, params: [string, string | number | null | undefined][]): string {
  const query = params
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query ? `${base}?${query}` : base;
}
