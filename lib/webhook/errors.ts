import { WechatpayError } from '../errors';

export type WebhookFailure =
  | 'BODY_NOT_RAW'
  | 'MALFORMED'
  | 'DECRYPT_FAILED'
  | 'REPLAYED'
  /** The replay guard's shared store failed: the callback is refused (503) so WeChat Pay retries it. */
  | 'REPLAY_GUARD_UNAVAILABLE';

/** A callback that is not a well-formed, decryptable WeChat Pay envelope (its signature did verify, or was not reached). */
export class WebhookError extends WechatpayError {
  override name = 'WebhookError';
  constructor(
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}
