import type { Answer, Ledger } from '../ledger';
import type { MerchantRecord } from '../gateway-auth';
import type { Payments } from '../payments';
import type { PlatformIdentity } from '../platform';

export type LimitName = 'punish' | 'recover' | 'reduction';

export interface HandlerContext {
  /** The authenticated merchant (a stand-in with an empty mchid on unauthenticated sandbox hooks). */
  caller: MerchantRecord;
  params: Record<string, string>;
  /** Decrypted query and body. */
  query: Record<string, string>;
  json: Record<string, unknown>;
  /** The raw request body and its Content-Type (media uploads parse it themselves). */
  raw: { body: Buffer; contentType: string };
  now: number;
  ledger: Ledger;
  payments: Payments;
  /** Where the sandbox listens, ending in `/` (download URLs point back here). */
  baseUrl: string;
  identities: PlatformIdentity[];
  apiv3Key: string;
  /** Run `settle` later (after the sandbox's settle delay, or at `sandbox.settle()`), with the time then. */
  schedule(settle: (now: number) => void): void;
  /**
   * Queue a callback with the resource encrypted by the APIv3 key. The resource is serialized now, so the
   * callback carries the state of the moment the event happened, whatever changes before delivery.
   */
  notify(eventType: string, summary: string, originalType: string, resource: unknown, url?: string): void;
  /** Encrypt a reply field to the calling merchant's key, as WeChat Pay does for personal data. */
  encryptToCaller(plaintext: string): string;
  /** Per-endpoint limits; false when over. */
  allow(limit: LimitName, key: string): boolean;
  /** The configured limit, for the 429 message. */
  limitOf(limit: LimitName): number;
  /** A registered merchant (APIv2 calls name themselves in `mch_id`). */
  merchantOf(mchid: string): MerchantRecord | undefined;
}

export type Handler = (context: HandlerContext) => Answer;

export const ok = (body: unknown): Answer => ({ status: 200, body });
export const noContent = (): Answer => ({ status: 204, body: undefined });
