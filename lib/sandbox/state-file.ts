import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerSnapshot } from './ledger';
import type { PaymentsSnapshot } from './payments';
import type { PlatformIdentity, SandboxMode } from './platform';

/**
 * `Sandbox.start({ stateDir })`: the platform keys, serials, APIv3 key and ledger kept in one JSON file, so a
 * shared staging gateway keeps the identity every client's config names across restarts. The file holds private
 * keys: it is written owner-only, and atomically (a temporary file renamed over it), so a crash mid-write leaves
 * the previous state whole.
 */
const FILE = 'sandbox-state.json';
const VERSION = 1;

interface StoredIdentity extends Omit<PlatformIdentity, 'privateKey'> {
  privateKeyPem: string;
}

export interface StoredState {
  version: typeof VERSION;
  mode: SandboxMode;
  apiv3Key: string;
  identities: StoredIdentity[];
  ledger: LedgerSnapshot;
  payments: PaymentsSnapshot;
}

export interface LoadedState {
  mode: SandboxMode;
  apiv3Key: string;
  identities: PlatformIdentity[];
  ledger: LedgerSnapshot;
  payments: PaymentsSnapshot;
}

/** The state kept in `dir`, or undefined when there is none yet; a file that does not parse is an error naming it. */
export function loadState(dir: string): LoadedState | undefined {
  const file = join(dir, FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`stateDir: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'read error'})`);
  }
  let stored: StoredState;
  try {
    stored = JSON.parse(text) as StoredState;
  } catch {
    throw new Error(`stateDir: ${file} is not the sandbox's state (not JSON); move it away to start afresh`);
  }
  if (stored?.version !== VERSION || !Array.isArray(stored.identities))
    throw new Error(`stateDir: ${file} is not the sandbox's state (version ${String(stored?.version)})`);
  return {
    mode: stored.mode,
    apiv3Key: stored.apiv3Key,
    identities: stored.identities.map(({ privateKeyPem, ...identity }) => ({
      ...identity,
      privateKey: createPrivateKey(privateKeyPem),
    })),
    ledger: stored.ledger,
    payments: stored.payments,
  };
}

/** Writes the state to `dir` atomically: a temporary file in the same folder, then a rename over the old one. */
export function saveState(dir: string, state: LoadedState): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stored: StoredState = {
    version: VERSION,
    mode: state.mode,
    apiv3Key: state.apiv3Key,
    identities: state.identities.map(({ privateKey, ...identity }) => ({
      ...identity,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    })),
    ledger: state.ledger,
    payments: state.payments,
  };
  const file = join(dir, FILE);
  const temporary = join(dir, `.${FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, JSON.stringify(stored), { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
