import { randomBytes } from 'node:crypto';
import type {
  AggracctBcWbChannelBankChannelAccountRenameByApplicationIdGetResponse,
  AggracctBcWbChannelControlOrdersByOutRequestNoGetResponse,
  AggracctBcWbChannelSpecialReductionByOutRequestNoGetResponse,
} from '../catalog/generated/endpoints';

export interface Account {
  mchid: string;
  bal_account_no: string;
  /** In fen. */
  balance: number;
}

/** A reply: JSON `body` signed by the gateway, or `unsigned` bytes (bill files, APIv2 XML, which carries its own sign). */
export type Answer = { status: number; body: unknown; unsigned?: { bytes: Buffer; contentType: string } };

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

  /** The entries as JSON-safe data (re-entry answers are JSON bodies), for `stateDir`. */
  snapshot(): Array<[string, Entry]> {
    return [...this.entries];
  }

  restore(entries: Array<[string, Entry]>): void {
    for (const [key, entry] of entries) this.entries.set(key, entry);
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

type ControlOrder = AggracctBcWbChannelControlOrdersByOutRequestNoGetResponse;

/** The ledger's records are the catalog's reply types: what the sandbox answers is checked against the facts. */
export type PunishOrder = Required<
  Pick<NonNullable<ControlOrder['punish_order']>, 'punish_state' | 'effect_state' | 'control_action'>
> &
  NonNullable<ControlOrder['punish_order']>;
export type RecoverOrder = NonNullable<ControlOrder['recover_order']>;
export type Reduction = AggracctBcWbChannelSpecialReductionByOutRequestNoGetResponse &
  Required<
    Pick<
      AggracctBcWbChannelSpecialReductionByOutRequestNoGetResponse,
      'mchid' | 'bal_account_no' | 'out_request_no' | 'amount' | 'state'
    >
  >;
export type RenameApplication = AggracctBcWbChannelBankChannelAccountRenameByApplicationIdGetResponse;

/** A punish order and the ledger it controls (which the order's reply does not carry). */
export interface PunishRecord {
  order: PunishOrder;
  bal_account_no: string;
}

export interface LedgerSnapshot {
  accounts: Account[];
  punishOrders: Array<[string, PunishRecord]>;
  recoverOrders: Array<[string, RecoverOrder]>;
  reductions: Array<[string, Reduction]>;
  renames: Array<[string, RenameApplication]>;
  reentry: ReturnType<Reentry['snapshot']>;
}

/** One consistent state for the whole endpoint family. */
export class Ledger {
  readonly accounts = new Map<string, Account>();
  readonly punishOrders = new Map<string, PunishRecord>();
  readonly recoverOrders = new Map<string, RecoverOrder>();
  readonly reductions = new Map<string, Reduction>();
  readonly renames = new Map<string, RenameApplication>();
  readonly reentry = new Reentry();

  constructor(accounts: Account[]) {
    for (const account of accounts) this.accounts.set(account.mchid, { ...account });
  }

  /** Everything the ledger holds, as JSON-safe data, for `stateDir`. */
  snapshot(): LedgerSnapshot {
    return {
      accounts: [...this.accounts.values()],
      punishOrders: [...this.punishOrders],
      recoverOrders: [...this.recoverOrders],
      reductions: [...this.reductions],
      renames: [...this.renames],
      reentry: this.reentry.snapshot(),
    };
  }

  static restore(snapshot: LedgerSnapshot): Ledger {
    const ledger = new Ledger(snapshot.accounts);
    for (const [key, value] of snapshot.punishOrders) ledger.punishOrders.set(key, value);
    for (const [key, value] of snapshot.recoverOrders) ledger.recoverOrders.set(key, value);
    for (const [key, value] of snapshot.reductions) ledger.reductions.set(key, value);
    for (const [key, value] of snapshot.renames) ledger.renames.set(key, value);
    ledger.reentry.restore(snapshot.reentry);
    return ledger;
  }

  account(mchid: unknown, balAccountNo: unknown): Account | undefined {
    const account = this.accounts.get(String(mchid));
    return account && account.bal_account_no === balAccountNo ? account : undefined;
  }
}
