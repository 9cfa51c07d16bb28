import type { AxiosRequestConfig } from 'axios';
import { isNodeRuntime } from '../crypto/backend';

/**
 * Where `node:http` is missing or only imitated (Deno, Bun, Cloudflare Workers), send through axios' fetch
 * adapter. On Node the adapter stays whatever the config (or the builder's own choice) says, and so does the
 * adapter of a caller's own axios instance (`axios` option).
 */
export function withRuntimeAdapter<C extends AxiosRequestConfig>(config: C): C {
  const ownInstance = (config as { axios?: unknown }).axios !== undefined;
  if (isNodeRuntime() || config.adapter !== undefined || ownInstance) return config;
  return { ...config, adapter: 'fetch' };
}
