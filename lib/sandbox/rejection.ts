export interface RejectionDetail {
  field: string;
  value?: unknown;
  issue: string;
  location: 'body' | 'query' | 'path' | 'header';
}

/** A WeChat Pay error answer: status, code, message and (for PARAM_ERROR) the field at fault. */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: RejectionDetail,
  ) {
    super(message);
  }

  body(): { code: string; message: string; detail?: RejectionDetail } {
    return this.detail
      ? { code: this.code, message: this.message, detail: this.detail }
      : { code: this.code, message: this.message };
  }
}
