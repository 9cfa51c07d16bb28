import type { PlatformCertificate } from '../verify/platform-keys';
import { requestTarget } from './url';

/**
 * What one APIv3 call's stages share across axios, in one typed place: the core and the request signer write it,
 * the adapter and the reply verifier read it, and the verifier hands a certificates download back through it. A caller cannot set it (`wechatpay` is a refused call option).
 */
export interface CallContext {
  /** The body line to sign instead of `data`: a media upload signs its `meta` JSON, not the multipart bytes. */
  signedBody?: string;
  /** The request target (path + query) the signer signed: where the adapter sends, what download rules match. */
  signedTarget?: string;
  /** A `/v3/certificates` reply's certificates, verified and decrypted by the reply verifier for the manager. */
  certificates?: PlatformCertificate[];
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** wechatpay-chain's per-call context (see lib/transport/call-context.ts); set by the SDK only. */
    wechatpay?: CallContext;
  }
}

/** The target a request was signed for (or, if it never reached the signer, computed now). */
export function targetOf(config: { baseURL?: string; url?: string; wechatpay?: CallContext }): string {
  return config.wechatpay?.signedTarget ?? requestTarget(config.baseURL, config.url);
}
