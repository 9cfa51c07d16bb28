import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import type { Observer } from '../observe/observer';
import type { buildRequest } from '../request/build';
import type { CallContext } from '../transport/call-context';
import { sendOnce, sendWithRetry } from '../transport/retry';
import type { RetryPolicy } from '../transport/retry-policy';

export interface SendPlan {
  /** Undefined: one attempt. */
  policy?: RetryPolicy;
  backupBaseURL?: string;
  observer: Observer;
}

type Built = ReturnType<typeof buildRequest>;

/** What axios is handed for one attempt: the built request, and the call's context for the signer and adapter. */
function axiosConfig(built: Built, signedBody: string | undefined, baseURL: string | undefined): AxiosRequestConfig {
  const { method, url, headers, data, passthrough } = built;
  const config: AxiosRequestConfig = { ...passthrough, method, url, headers, data };
  if (baseURL !== undefined) config.baseURL = baseURL;
  const context: CallContext | undefined = signedBody === undefined ? undefined : { signedBody };
  if (context) config.wechatpay = context;
  return config;
}

/**
 * Stage 3, send: once, or again while the retry policy allows (each attempt signed afresh, failing over to the
 * backup host after a network failure or 5xx), observed when hooks or a logger listen.
 */
export function send<T>(http: AxiosInstance, built: Built, signedBody: string | undefined, plan: SendPlan) {
  const { policy, observer } = plan;
  if (policy === undefined && !observer.active) {
    return sendOnce(http.request<T>(axiosConfig(built, signedBody, undefined)));
  }
  return sendWithRetry<T>((baseURL) => http.request<T>(axiosConfig(built, signedBody, baseURL)), {
    method: built.method,
    path: `/${built.url.split('?')[0]}`,
    baseURL: (built.passthrough.baseURL as string | undefined) ?? http.defaults.baseURL ?? '',
    clientBaseURL: http.defaults.baseURL,
    policy,
    backupBaseURL: plan.backupBaseURL,
    signal: (built.passthrough.signal ?? http.defaults.signal) as AbortSignal | undefined,
    observer,
  }) as Promise<AxiosResponse<T>>;
}
