import type { RouteFacts } from '../catalog/route-facts';
import { encryptFields, encryptionIssues } from '../catalog/encrypt';
import { validateRequest, withJsonAsSent } from '../catalog/validate';
import type { CryptoBackend } from '../crypto/backend';
import { ValidationError, type FieldIssue } from '../errors';
import type { RequestOptions } from '../request/options';
import type { PlatformKeys } from '../verify/platform-keys';

/** The client-wide defaults a call's own `validation` and `encrypt` override. */
export interface PrepareSettings<K> {
  validation?: boolean | 'strict';
  encrypt?: boolean;
  platformKeys: PlatformKeys<K>;
  backend: CryptoBackend<K>;
}

/** The options to build the request from, and the body line to sign when it is not the body sent (media). */
export interface Prepared {
  options: RequestOptions;
  signedBody?: string;
}

export function wantsEncryption(options: RequestOptions, settings: PrepareSettings<unknown>): boolean {
  return (options?.encrypt ?? settings.encrypt ?? false) === true;
}

/**
 * Catalogued endpoints: validate what the caller gave, then encrypt what must be (or insist it already is).
 * Synchronous unless there is something to encrypt on an asynchronous backend.
 */
function checkFields<K>(
  facts: RouteFacts,
  options: RequestOptions,
  settings: PrepareSettings<K>,
): RequestOptions | Promise<RequestOptions> {
  const mode = options.validation ?? settings.validation ?? true;
  const validation = mode === true || mode === 'strict';
  const encrypt = wantsEncryption(options, settings);
  if (!validation && !encrypt) return options;
  options = withJsonAsSent(options);
  const issues: FieldIssue[] = validation ? validateRequest(facts, options, mode) : [];
  if (!encrypt) {
    issues.push(...encryptionIssues(facts, options as never));
    if (issues.length > 0) throw new ValidationError(issues);
    return options;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  const encrypted = encryptFields(facts, options as never, settings.platformKeys, settings.backend);
  const done = ({ bag, issues: failed }: { bag: RequestOptions; issues: FieldIssue[] }) => {
    if (failed.length > 0) throw new ValidationError(failed);
    return bag;
  };
  return encrypted instanceof Promise ? encrypted.then(done) : done(encrypted);
}

/** A media upload: the multipart body sent, its `meta` JSON signed (the one documented exception). */
async function withMedia(options: RequestOptions): Promise<Prepared> {
  if (options.json !== undefined || options.body !== undefined) {
    throw new ValidationError([{ path: 'media', issue: 'a media upload carries no `json` or `body`' }]);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- uploads only: not loaded by every client
  const { buildMultipart } = require('../media/multipart') as typeof import('../media/multipart');
  const multipart = await buildMultipart(options.media!);
  return {
    signedBody: multipart.meta,
    options: {
      ...options,
      media: undefined,
      body: multipart.body,
      headers: { ...options.headers, 'Content-Type': multipart.contentType },
    },
  };
}

/** Stage 2, prepare: validate and encrypt a catalogued call's fields, then turn a media upload into its multipart. */
export function prepare<K>(
  facts: RouteFacts | undefined,
  options: RequestOptions,
  settings: PrepareSettings<K>,
): Prepared | Promise<Prepared> {
  const checked =
    facts && options !== null && typeof options === 'object' ? checkFields(facts, options, settings) : options;
  const next = (ready: RequestOptions): Prepared | Promise<Prepared> =>
    ready?.media !== undefined ? withMedia(ready) : { options: ready };
  return checked instanceof Promise ? checked.then(next) : next(checked);
}
