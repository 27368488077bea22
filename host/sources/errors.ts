/** A source call that did not produce an answer; services treat it as "nothing from this source". */
export class SourceCallError extends Error {
  constructor(
    readonly source: string,
    readonly kind: 'timeout' | 'unavailable' | 'crashed' | 'backend',
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}
