/** Thrown when key material does not load; the message names the problem, never the key material. */
export class KeyLoadError extends Error {
  override readonly name = 'KeyLoadError';
  /** The config field whose key did not load, when known (`certs.PUB_KEY_ID_...`). */
  field?: string;
}
