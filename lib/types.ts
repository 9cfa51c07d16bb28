import type { CatalogPaths, CatalogRootNode } from './catalog/generated/endpoints';
import type { ChainNode } from './catalog/typing';

export type { ChainNode };

/**
 * The client: catalogued endpoints fully typed through every access style, any other path loosely typed.
 * `chain` comes first in the intersection so its signature wins over the loose node's. A declared property of
 * the root wins over the loose index signature, and catalogued nodes have none: under a catalogued prefix a
 * misspelt segment is a compile error, while `instance['v3/new/path']` stays open.
 */
export type WechatpayInstance = {
  /** `instance.chain('v3/pay/transactions/{id}')`: the same cached node as the property chain. */
  chain<P extends string>(path: P): P extends keyof CatalogPaths ? CatalogPaths[P] : ChainNode;
} & CatalogRootNode & { readonly [segment: string]: ChainNode };
