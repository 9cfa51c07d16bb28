import type { AxiosRequestConfig } from 'axios';
import { isNodeRuntime } from '../crypto/backend';

/**
 * Where `node:http` is missing or only imitated (Deno, Bun, Cloudflare Workers), send through axios' fetch
 * adapter. On Node the adapter stays whatever the config (or the builder's own choice) says.
 */
export function withRuntimeAdapter<C extends AxiosRequestConfig>(config: C): C {
  if (isNodeRuntime() || config.adapter !== undefined) return config;
  return { ...config, adapter: 'fetch' };
}
