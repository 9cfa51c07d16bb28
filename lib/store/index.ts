export { type Store, missingStoreMethods } from './store';
export { MemoryStore, type MemoryStoreOptions } from './memory';
export { sharedCertificateStore } from './shared';
