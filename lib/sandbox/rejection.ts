export interface RejectionDetail {
  field: string;
  value?: unknown;
  issue: string;
  location: 'body' | 'query' | 'path' | 'header';
}

/** WeChat Pay names a body field by JSON Pointer (`/payer/openid`); our checks walk dotted paths (`payer.openid`). */
export function jsonPointer(dotted: string): string {
  return `/${dotted
    .split('.')
    .map((key) => key.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;
}

/** A WeChat Pay error answer: status, code, message and (for PARAM_ERROR) the field at fault. */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: RejectionDetail | Record<string, unknown>,
  ) {
    super(message);
  }

  body(): { code: string; message: string; detail?: RejectionDetail | Record<string, unknown> } {
    return this.detail
      ? { code: this.code, message: this.message, detail: this.detail }
      : { code: this.code, message: this.message };
  }
}
