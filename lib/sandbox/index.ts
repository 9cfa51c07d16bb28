import { constants, createPublicKey, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadKey, type KeyLike } from '../crypto/keys';
import { systemClock, type Clock } from './clock';
import { NonceLedger, type MerchantRecord } from './gateway-auth';
import { Ledger, type Account } from './ledger';
import { Notifier, type CallbackRecord } from './notifier';
import { createIdentities, type PlatformIdentity, type SandboxMode } from './platform';
import { Payments } from './payments';
import { loadState, saveState, type LoadedState } from './state-file';
import { markPaid } from './handlers/transactions';
import { requestPayment } from './handlers/request-payment';
import { RateLimiter } from './rate-limit';
import { Rejection } from './rejection';
import { apiv3KeyIssue } from '../config/apiv3-key';
import { handle, type GatewayState } from './server';

export { ManualClock, systemClock, type Clock } from './clock';
export type { Account, PunishOrder, RecoverOrder, Reduction } from './ledger';
export type { CallbackRecord, CallbackAttempt } from './notifier';
export type { SandboxMode } from './platform';
export type { Order, Refund, TradeState, TradeType } from './payments';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Merchants allowed to call: their id, API certificate serial and public key, and (for APIv2) their APIv2 key. */
  merchants: Array<{ mchid: string; serial: string; publicKey: KeyLike; secret?: string }>;
  /** 32 bytes; generated when absent. */
  apiv3Key?: string;
  /** Where state-change callbacks are POSTed. */
  notifyUrl?: string;
  /** WeChat Pay public key (`PUB_KEY_ID_...`), platform certificate, or both. Default `public-key`. */
  mode?: SandboxMode;
  /** Which identity signs replies and callbacks in `both` mode. Default `public-key`. */
  signWith?: 'public-key' | 'certificate';
  platformPrivateKey?: KeyLike;
  /** Target merchants and their ledgers; a demo account is seeded when absent. */
  accounts?: Account[];
  /** Business time (re-entry validity, rate windows, order times). Protocol timestamps stay real time. */
  clock?: Clock;
  /** Delay before EXECUTING orders settle to SUCCESS (default 200 ms); `settle()` forces it. */
  settleDelayMs?: number;
  /** Send a `WECHATPAY/SIGNTEST/` probe before the first callback. */
  probe?: boolean;
  /** Delays between callback retries (default 1 s, 2 s, 4 s). */
  callbackRetryDelaysMs?: number[];
  limits?: SandboxLimits;
  /**
   * A folder that keeps the platform keys, serials, APIv3 key and ledger (orders, refunds, control orders, ...)
   * across restarts, so every client's config stays valid. Written after each change (owner-only, atomically),
   * reloaded at start. What it holds wins: a `mode`, `apiv3Key` or `platformPrivateKey` different from it is an
   * error, and `accounts` is ignored once a ledger is kept. Orders still settling when the sandbox stopped stay as
   * they were.
   */
  stateDir?: string;
}

export interface SandboxLimits {
  punishPerMinute?: number;
  recoverPerMinute?: number;
  reductionPerSecond?: number;
  /** Largest JSON body; larger ones get a signed 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** Largest media upload body (default 6 MiB: a 5 MiB image and its multipart framing). */
  maxMediaBytes?: number;
  /** Headers and body must arrive within this time, or the client gets a 408 and is disconnected (default 10 s). */
  requestTimeoutMs?: number;
}

/** What `wx.requestPayment` / `WeixinJSBridge` take for a JSAPI or mini program payment. */
export interface JsapiPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=...` */
  package: string;
  signType: string;
  paySign: string;
}

/** What the App SDK takes (`PayReq`). */
export interface AppPaymentParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  /** `Sign=WXPay` */
  package: string;
  noncestr: string;
  timestamp: string;
  sign: string;
}

export interface SandboxHandle {
  url: string;
  /** The id or serial replies and callbacks are signed with. */
  platformSerial: string;
  /** PEM of the key that signs replies: put it in the client's `certs` under `platformSerial`. */
  platformPublicKey: string;
  /** Every platform key by serial (public key PEMs; certificates in certificate mode). */
  certs: Record<string, string>;
  apiv3Key: string;
  ledger: Ledger;
  /** Orders, refunds, bills and media of the payment lifecycle. */
  payments: Payments;
  callbacks: CallbackRecord[];
  /**
   * Marks a pending (NOTPAY) order paid, as the payer would, and sends its TRANSACTION.SUCCESS callback; returns
   * the transaction as the query endpoint now answers it. `mchid` is needed only when several merchants used the
   * same out_trade_no. Also reachable as `POST /sandbox/pay/{out_trade_no}` (no signature: a sandbox-only hook).
   */
  pay(out_trade_no: string, mchid?: string): Record<string, unknown>;
  /**
   * Plays the payer's WeChat client: takes the JSAPI/mini program parameters (`{ appId, timeStamp, nonceStr,
   * package, signType, paySign }`) or the App ones (`{ appid, partnerid, prepayid, package, noncestr, timestamp,
   * sign }`), verifies the signature with the merchant's public key and the prepay id with the sandbox's orders,
   * then pays the order as `pay()` does. Also reachable as `POST /sandbox/request-payment` (JSON body).
   */
  requestPayment(params: JsapiPaymentParams | AppPaymentParams): Record<string, unknown>;
  /** Settle every EXECUTING order now (and send its callback). */
  settle(): void;
  /** Resolves when every callback has been delivered or given up. */
  callbacksIdle(): Promise<void>;
  stop(): Promise<void>;
}

/** How long EXECUTING orders wait before they settle, unless `settleDelayMs` says otherwise (the CLI's default too). */
export const DEFAULT_SETTLE_DELAY_MS = 200;

export const DEMO_ACCOUNT: Account = {
  mchid: '1900016681',
  bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc',
  balance: 1_000_000,
};

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;

function merchantsOf(options: SandboxOptions): Map<string, MerchantRecord> {
  return new Map(
    options.merchants.map(({ mchid, serial, publicKey, secret }) => [
      mchid,
      { mchid, serial, publicKey: loadKey(publicKey, 'public'), secret },
    ]),
  );
}

/** What `stateDir` holds wins; a different value given at start would silently be ignored, so it is an error. */
function checkAgainstStored(stored: LoadedState, options: SandboxOptions, given: KeyObject | undefined): void {
  const clash = (name: string) =>
    new RangeError(`${name} differs from what stateDir ${options.stateDir} holds; omit it, or use another stateDir`);
  if (options.mode !== undefined && options.mode !== stored.mode) throw clash('mode');
  if (options.apiv3Key !== undefined && options.apiv3Key !== stored.apiv3Key) throw clash('apiv3Key');
  if (given) {
    const pem = createPublicKey(given).export({ type: 'spki', format: 'pem' }).toString();
    if (!stored.identities.some((identity) => identity.publicKeyPem === pem)) throw clash('platformPrivateKey');
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** A hook called from code throws an Error carrying the code and message the HTTP hook would answer. */
function fromCode<T>(name: string, run: () => T, persist: () => void): T {
  try {
    const result = run();
    persist();
    return result;
  } catch (error) {
    throw error instanceof Rejection ? new Error(`${name}: ${error.code} ${error.message}`) : error;
  }
}

/** A local WeChat Pay gateway (payments, refunds, bills, aggracct-bc, APIv2, the catalog): real bytes, signatures, rules. */
export const Sandbox = {
  async start(options: SandboxOptions): Promise<SandboxHandle> {
    const clock = options.clock ?? systemClock;
    const given = options.platformPrivateKey === undefined ? undefined : loadKey(options.platformPrivateKey, 'private');
    const stored = options.stateDir === undefined ? undefined : loadState(options.stateDir);
    if (stored) checkAgainstStored(stored, options, given);
    const mode = stored?.mode ?? options.mode ?? 'public-key';
    const identities = stored?.identities ?? createIdentities(mode, clock, given);
    const wanted = mode === 'both' ? (options.signWith ?? 'public-key') : identities[0]!.kind;
    const signer: PlatformIdentity = identities.find((identity) => identity.kind === wanted)!;
    const apiv3Key = stored?.apiv3Key ?? options.apiv3Key ?? randomBytes(16).toString('hex');
    const keyIssue = apiv3KeyIssue(apiv3Key);
    if (keyIssue !== undefined) throw new RangeError(`apiv3Key ${keyIssue}`);
    const notifier = new Notifier({
      url: options.notifyUrl,
      apiv3Key,
      signer: () => signer,
      clock,
      probe: options.probe ?? false,
      retryDelaysMs: options.callbackRetryDelaysMs ?? [1000, 2000, 4000],
    });
    const pending = new Set<() => void>();
    const timers = new Set<NodeJS.Timeout>();
    const configured = {
      punish: positive(options.limits?.punishPerMinute, 200, 'limits.punishPerMinute'),
      recover: positive(options.limits?.recoverPerMinute, 200, 'limits.recoverPerMinute'),
      reduction: positive(options.limits?.reductionPerSecond, 100, 'limits.reductionPerSecond'),
    };
    const limiters = {
      punish: new RateLimiter(configured.punish, 60_000, clock),
      recover: new RateLimiter(configured.recover, 60_000, clock),
      reduction: new RateLimiter(configured.reduction, 1_000, clock),
    };
    const requestTimeoutMs = positive(options.limits?.requestTimeoutMs, 10_000, 'limits.requestTimeoutMs');
    const state: GatewayState = {
      merchants: merchantsOf(options),
      nonces: new NonceLedger(),
      clock,
      ledger: stored ? Ledger.restore(stored.ledger) : new Ledger(options.accounts ?? [DEMO_ACCOUNT]),
      payments: stored ? Payments.restore(stored.payments) : new Payments(),
      persist: () => undefined,
      identities,
      signer,
      apiv3Key,
      limits: {
        maxBodyBytes: positive(options.limits?.maxBodyBytes, 1 << 20, 'limits.maxBodyBytes'),
        maxMediaBytes: positive(options.limits?.maxMediaBytes, 6 << 20, 'limits.maxMediaBytes'),
        requestTimeoutMs,
      },
      baseUrl: '',
      encryptTo: (merchant, plaintext) =>
        publicEncrypt({ key: merchant.publicKey, ...OAEP }, Buffer.from(plaintext)).toString('base64'),
      context: {
        allow: (limit, key) => limiters[limit].allow(key),
        limitOf: (limit) => configured[limit],
        notify: (...args) => notifier.send(...args),
        schedule: (settle) => {
          const run = () => {
            if (!pending.delete(run)) return;
            settle(clock.now());
            state.persist();
          };
          pending.add(run);
          const timer = setTimeout(() => {
            timers.delete(timer);
            run();
          }, options.settleDelayMs ?? DEFAULT_SETTLE_DELAY_MS);
          timer.unref();
          timers.add(timer);
        },
      },
    };
    const stateDir = options.stateDir;
    if (stateDir !== undefined) {
      state.persist = () =>
        saveState(stateDir, {
          mode,
          apiv3Key,
          identities,
          ledger: state.ledger.snapshot(),
          payments: state.payments.snapshot(),
        });
      state.persist(); // the keys are on disk before any client is configured with them
    }
    // node's own guards against stalled clients: headers and whole requests are bounded in time, checked often
    const server = createServer(
      {
        headersTimeout: requestTimeoutMs,
        requestTimeout: requestTimeoutMs + 1000, // the gateway's own (signed) 408 for a slow body comes first
        connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(requestTimeoutMs / 4))),
      },
      (req, res) => void handle(state, req, res),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    server.unref();
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    state.baseUrl = `http://${host}:${port}/`;
    return {
      url: state.baseUrl,
      platformSerial: signer.serial,
      platformPublicKey: signer.publicKeyPem,
      certs: Object.fromEntries(
        identities.map((identity) => [identity.serial, identity.certificatePem ?? identity.publicKeyPem]),
      ),
      apiv3Key,
      ledger: state.ledger,
      payments: state.payments,
      callbacks: notifier.records,
      pay: (outTradeNo, mchid) =>
        fromCode(
          'sandbox.pay',
          () =>
            markPaid({ payments: state.payments, notify: state.context.notify, now: clock.now() }, outTradeNo, mchid),
          state.persist,
        ),
      requestPayment: (params) =>
        fromCode(
          'sandbox.requestPayment',
          () =>
            requestPayment(
              {
                payments: state.payments,
                notify: state.context.notify,
                now: clock.now(),
                merchantOf: (mchid) => state.merchants.get(mchid),
              },
              params,
            ),
          state.persist,
        ),
      settle: () => [...pending].forEach((run) => run()),
      callbacksIdle: () => notifier.idle(),
      stop: () => {
        state.persist();
        notifier.stop();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        pending.clear();
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  },
};
