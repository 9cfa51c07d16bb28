import { AxiosHeaders } from 'axios';
import type { IncomingHttpHeaders } from 'node:http';

/** What axios' normalize() would strip from a value: C0 controls but HTAB, DEL, and surrounding SP/HTAB. */
// eslint-disable-next-line no-control-regex
const NOT_NORMAL = /[\u0000-\u0008\u000a-\u001f\u007f]|^[\t ]|[\t ]$/;

/**
 * A reply's headers as axios hands them on. axios normalises a reply's headers once after the adapter
 * (`transformData`): per header a key search that allocates an array of all names seen so far, about 3.5 KB per
 * reply. node's parser has already lower-cased, de-duplicated and trimmed them, so when every value is one that
 * normalising leaves unchanged, that first pass is skipped; any later normalize() (or one with `format`) runs as ever.
 */
export class ReplyHeaders extends AxiosHeaders {
  #normal = false;

  static fromNode(given: IncomingHttpHeaders, skip: string | undefined): ReplyHeaders {
    const headers = new ReplyHeaders();
    const target = headers as unknown as Record<string, unknown>;
    let normal = true;
    for (const name of Object.keys(given)) {
      if (name === skip) continue;
      const value = given[name];
      if (typeof value !== 'string' || NOT_NORMAL.test(value)) normal = false;
      target[name] = value;
    }
    headers.#normal = normal;
    return headers;
  }

  override normalize(format: boolean): AxiosHeaders {
    if (this.#normal && !format) {
      this.#normal = false; // once: whatever is done to the headers afterwards is normalised as axios does
      return this;
    }
    return super.normalize(format);
  }
}
