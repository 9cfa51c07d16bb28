import type { AxiosResponse } from 'axios';
import type { RequestOptions } from './request/options';

/**
 * A node of the chain: index it to go deeper (`node.v3`, `node['v3/x/{id}']`), call a verb on it
 * (`node.post({...})`). A verb name reached by a property is itself a node, so `receivers.delete.post()` works.
 */
export interface ChainNode {
  <T = any>(options?: RequestOptions): Promise<AxiosResponse<T>>;
  readonly [segment: string]: ChainNode;
}

export type WechatpayInstance = ChainNode & {
  /** `instance.chain('v3/pay/transactions/{id}')`: the same cached node as the property chain. */
  chain(path: string): ChainNode;
};
