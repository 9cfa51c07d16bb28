import { randomBytes } from 'node:crypto';

export interface Account {
  mchid: string;
  bal_account_no: string;
  /** In fen. */
  balance: number;
}

export type Answer = { status: number; body: unknown };

interface Entry {
  fingerprint: string;
  answer: Answer;
  expiresAt: number;
}

/** Canonical form of decrypted parameters: key order and ciphertext randomness do not matter. */
export function fingerprint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${fingerprint(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Idempotent re-entry: the same business number with the same parameters gets the first answer back. */
export class Reentry {
  private readonly entries = new Map<string, Entry>();

  /** The stored answer, `'conflict'` for different parameters, or undefined for a new (or expired) number. */
  lookup(key: string, print: string, now: number): Answer | 'conflict' | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= now) return undefined;
    return entry.fingerprint === print ? entry.answer : 'conflict';
  }

  store(key: string, print: string, answer: Answer, now: number, validityMs: number): void {
    this.entries.set(key, { fingerprint: print, answer, expiresAt: now + validityMs });
  }
}

export const DAY_MS = 86_400_000;

/** WeChat Pay style business numbers: a date prefix and random digits. */
export function businessNumber(prefix: string, now: number): string {
  const date = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
  return `${prefix}${date}${BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString()
    .padStart(20, '0')
    .slice(0, 20)}`;
}

export interface PunishOrder {
  wxpay_punish_no: string;
  out_request_no: string;
  mchid: string;
  bal_account_no: string;
  punish_scene: number;
  punish_rule_version: number;
  punish_reason?: string;
  punish_end_time?: string;
  punish_accept_time: string;
  punish_start_time?: string;
  punish_finish_time?: string;
  punish_state: 'EXECUTING' | 'SUCCESS' | 'FAILED';
  effect_state: 'ACTIVE' | 'RECOVERED';
  control_action: string[];
}

export interface RecoverOrder {
  wxpay_recover_no: string;
  out_request_no: string;
  related_wxpay_punish_no: string;
  mchid: string;
  punish_scene: string;
  punish_rule_version: string;
  recover_accept_time: string;
  recover_finish_time: string;
  recover_state: 'EXECUTING' | 'SUCCESS' | 'FAILED';
  recover_reason: string;
}

export interface Reduction {
  mchid: string;
  bal_account_no: string;
  out_request_no: string;
  reduction_type: string;
  amount: number;
  state: 'PROCESSING' | 'SUCCESS' | 'FAILED';
  reason?: string;
  quota_change_no?: string;
  success_time?: string;
  fail_time?: string;
  fail_reason?: 'BALANCE_NOT_ENOUGH' | 'RECEIPT_NOT_EXIST_CLOSED' | 'TIME_OUT_CLOSED';
}

export interface RenameApplication {
  change_scene: 'SUBJECT_INFO_RENAME';
  application_id: string;
  out_request_no: string;
  mchid: string;
  bal_account_no: string;
  new_account_name: string;
  application_state: 'PROCESSING' | 'SUCCESS' | 'FAIL';
  finish_time?: string;
}

/** One consistent state for the whole endpoint family. */
export class Ledger {
  readonly accounts = new Map<string, Account>();
  readonly punishOrders = new Map<string, PunishOrder>();
  readonly recoverOrders = new Map<string, RecoverOrder>();
  readonly reductions = new Map<string, Reduction>();
  readonly renames = new Map<string, RenameApplication>();
  readonly reentry = new Reentry();

  constructor(accounts: Account[]) {
    for (const account of accounts) this.accounts.set(account.mchid, { ...account });
  }

  account(mchid: unknown, balAccountNo: unknown): Account | undefined {
    const account = this.accounts.get(String(mchid));
    return account && account.bal_account_no === balAccountNo ? account : undefined;
  }
}
