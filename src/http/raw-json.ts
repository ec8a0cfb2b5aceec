/** A JSON body serialised (and UTF-8 encoded) already; defineRoute sends its bytes as they are. */
export class RawJson {
  readonly bytes: Buffer;
  constructor(text: string) {
    this.bytes = Buffer.from(text, 'utf8');
  }
}

/**
 * Serialises once per source object. The sqlite store hands out the same (frozen) page object
 * for as long as the data behind it is unchanged, so a feed read by many screens and people is
 * presented and stringified once per change instead of once per request. A store that returns
 * fresh objects each time simply never hits.
 */
export class JsonMemo<K extends object> {
  private readonly texts = new WeakMap<K, RawJson>();

  get(source: K, make: () => unknown): RawJson {
    let raw = this.texts.get(source);
    if (!raw) {
      raw = new RawJson(JSON.stringify(make()));
      this.texts.set(source, raw);
    }
    return raw;
  }
}
