import { MemoryStore } from './memory';
import type { Store } from './store';

let shared: Store | undefined;

/**
 * The process-wide default certificate store: every client of one merchant (on one gateway) in this process reads
 * the same downloaded certificate list, whatever instance downloaded it. Entries are few (one per merchant).
 */
export function sharedCertificateStore(): Store {
  shared ??= new MemoryStore({ maxEntries: 10_000 });
  return shared;
}
