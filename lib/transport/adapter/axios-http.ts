// the default import alone: with a named value import too, tsc's __importStar copies all of axios' exports at load
import axios, { type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { Readable } from 'node:stream';
import { asTransportError } from '../transport-error';
import { RESPONSE_TOO_LARGE, timeoutError } from './errors';

let httpAdapter: AxiosAdapter | undefined;

interface Deadline {
  signal?: AbortSignal;
  expired: boolean;
  timer?: NodeJS.Timeout;
}

/** axios' own adapter keeps `timeout` as an idle-socket timer only: a reply trickled byte by byte outlives it. */
function startDeadline(config: InternalAxiosRequestConfig): Deadline {
  const callerSignal = config.signal as AbortSignal | undefined;
  if (!config.timeout || config.timeout <= 0) return { signal: callerSignal, expired: false };
  const controller = new AbortController();
  const deadline: Deadline = { expired: false };
  deadline.timer = setTimeout(() => {
    deadline.expired = true;
    controller.abort();
  }, config.timeout);
  deadline.signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
  return deadline;
}

/** A streamed reply stays bounded by the same deadline: the stream fails with the timeout when it runs out. */
function boundStream(stream: Readable, deadline: Deadline, leftMs: number, onExpiry: () => Error) {
  clearTimeout(deadline.timer);
  if (leftMs <= 0) return void stream.destroy(onExpiry());
  const timer = setTimeout(() => stream.destroy(onExpiry()), leftMs);
  stream.once('close', () => clearTimeout(timer));
}

/**
 * What our node:http(s) adapter does not cover (proxies, streamed downloads, socketPath, progress callbacks, form
 * data...) goes through axios' http adapter, with `timeout` made a deadline for the whole exchange and its own
 * `maxContentLength` failure given our code.
 */
export async function axiosHttpAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  httpAdapter ??= axios.getAdapter('http');
  const started = Date.now();
  const deadline = startDeadline(config);
  let response: AxiosResponse;
  try {
    // the cap is for buffered replies: streamed downloads (bills) are checked against their digest instead
    const streamed = config.responseType === 'stream' ? { maxContentLength: -1 } : {};
    response = await httpAdapter({
      ...config,
      ...streamed,
      signal: deadline.signal,
    } as InternalAxiosRequestConfig);
  } catch (error) {
    clearTimeout(deadline.timer);
    if (deadline.expired) throw timeoutError(config, axios.isAxiosError(error) ? error.request : undefined);
    if (axios.isAxiosError(error) && /maxContentLength size of/.test(error.message)) error.code = RESPONSE_TOO_LARGE;
    throw error;
  }
  if (config.responseType === 'stream' && deadline.timer !== undefined) {
    const left = config.timeout! - (Date.now() - started);
    // past the interceptors, so the stream fails with the typed error itself
    boundStream(response.data as Readable, deadline, left, () => asTransportError(timeoutError(config)) as Error);
  } else {
    clearTimeout(deadline.timer);
  }
  return response;
}
