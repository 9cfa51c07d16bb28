import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';

/**
 * How long a kept-alive socket may sit idle: below the 5 s node servers keep one, so the client closes it first
 * instead of reusing one the server has dropped (ECONNRESET). With a timeout set, node's agent also honours a
 * server's shorter `Keep-Alive: timeout=N` (closing a second before it); without one it ignores the hint.
 */
export const IDLE_SOCKET_TIMEOUT_MS = 4000;

/** A keep-alive agent that closes idle sockets in time; `tls` adds the client certificate (APIv2 mutual TLS). */
export function keepAliveAgent(secure: true, tls?: HttpsAgentOptions): HttpsAgent;
export function keepAliveAgent(secure: boolean): HttpAgent | HttpsAgent;
export function keepAliveAgent(secure: boolean, tls: HttpsAgentOptions = {}): HttpAgent | HttpsAgent {
  const options = { keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS };
  return secure ? new HttpsAgent({ ...tls, ...options }) : new HttpAgent(options);
}

// Shared by clients given no agent: a TLS handshake per call costs more than the call.
let http: HttpAgent | undefined;
let https: HttpsAgent | undefined;

export function defaultAgent(secure: boolean): HttpAgent | HttpsAgent {
  if (secure) return (https ??= keepAliveAgent(true));
  return (http ??= keepAliveAgent(false));
}
