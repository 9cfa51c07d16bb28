import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

// Shared keep-alive agents for callers who give none: a TLS handshake per call costs more than the call.
// Idle sockets are unref'd by node, so they never keep a process alive.
let http: HttpAgent | undefined;
let https: HttpsAgent | undefined;

export function defaultAgent(secure: boolean): HttpAgent | HttpsAgent {
  if (secure) return (https ??= new HttpsAgent({ keepAlive: true }));
  return (http ??= new HttpAgent({ keepAlive: true }));
}
