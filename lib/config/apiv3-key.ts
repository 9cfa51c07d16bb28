/**
 * The one wording of a bad APIv3 key, for every front door that takes one (`Builder.factory`, `Webhook`,
 * `FetchWebhook`, the sandbox, the CLI). It names the rule and the length, never the key.
 */
export function apiv3KeyIssue(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string: the 32-character APIv3 key set in the merchant platform';
  const bytes = Buffer.byteLength(value);
  if (bytes === 32) return undefined;
  return `must be 32 bytes (the 32-character APIv3 key set in the merchant platform), got ${bytes}`;
}
