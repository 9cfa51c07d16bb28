import type { AxiosResponse } from 'axios';
import type { CatalogPaths, CatalogRootNode, HkCatalogPaths, HkRootNode } from './catalog/generated/endpoints';
import type { RequestOptions } from './request/options';

/**
 * A node of the chain: index it to go deeper (`node.v3`, `node['v3/x/{id}']`), call a verb on it
 * (`node.post({...})`). A verb name reached by a property is itself a node, so `receivers.delete.post()` works.
 */
export interface ChainNode {
  // `any` options: a loose node must accept what every typed verb accepts, so typed nodes can sit below it
  (options?: RequestOptions | any): Promise<AxiosResponse<any>>;
  readonly [segment: string]: ChainNode;
}

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

/**
 * A `region: 'hk'` client (apihk.mch.weixin.qq.com): typed by the Hong Kong wallet (`hk/v3/...`) and cross-border
 * (`v3/global/...`, `global/v3/...`) operations alone, so a mainland-only operation is a compile error, through
 * the chain as through `chain()`; a path the catalog does not know stays open through `chain()`.
 */
export type WechatpayHkInstance = {
  chain<P extends string>(
    path: P,
  ): P extends keyof HkCatalogPaths ? HkCatalogPaths[P] : P extends keyof CatalogPaths ? never : ChainNode;
} & HkRootNode;
