/** Patterns the catalog's schemas use; shared by the generator and by the messages that explain them. */
export const RFC3339_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
export const VISIBLE_UTF8_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$';

export const PATTERN_MEANING: Readonly<Record<string, string>> = {
  [RFC3339_PATTERN]: 'must be an RFC 3339 time such as 2015-05-20T13:29:35+08:00',
  [VISIBLE_UTF8_PATTERN]: 'must contain visible UTF-8 characters only (no control characters)',
};
