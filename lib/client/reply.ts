import type { AxiosResponse } from 'axios';
import { decryptFields } from '../catalog/encrypt';
import type { RouteFacts } from '../catalog/route-facts';
import type { CryptoBackend } from '../crypto/backend';
import type { RequestOptions } from '../request/options';

/**
 * Stage 4, reply: the response reached here verified (lib/client/verify-reply.ts, the response interceptor); with
 * `decrypt: true`, the fields WeChat Pay encrypted to the merchant key are decrypted.
 */
export async function reply<T, K>(
  response: AxiosResponse<T>,
  facts: RouteFacts | undefined,
  options: RequestOptions,
  privateKey: K,
  backend: CryptoBackend<K>,
): Promise<AxiosResponse<T>> {
  if (options.decrypt === true && facts && facts.responseEncrypted.length > 0) {
    response.data = await decryptFields(response.data, facts.responseEncrypted, privateKey, backend);
  }
  return response;
}
