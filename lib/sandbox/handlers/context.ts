import type { Answer, Ledger } from '../ledger';
import type { MerchantRecord } from '../gateway-auth';

export interface HandlerContext {
  caller: MerchantRecord;
  params: Record<string, string>;
  /** Decrypted query and body. */
  query: Record<string, string>;
  json: Record<string, unknown>;
  now: number;
  ledger: Ledger;
  /** Run `settle` later (after the sandbox's settle delay, or at `sandbox.settle()`), with the time then. */
  schedule(settle: (now: number) => void): void;
  /** Queue a callback to the notify URL with the resource encrypted by the APIv3 key. */
  notify(eventType: string, summary: string, originalType: string, resource: unknown): void;
  /** Encrypt a reply field to the calling merchant's key, as WeChat Pay does for personal data. */
  encryptToCaller(plaintext: string): string;
  /** Per-endpoint limits; false when over. */
  allow(limit: 'punish' | 'recover' | 'reduction', key: string): boolean;
}

export type Handler = (context: HandlerContext) => Answer;

export const ok = (body: unknown): Answer => ({ status: 200, body });
