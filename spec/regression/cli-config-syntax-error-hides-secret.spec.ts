import { runCli } from '../helpers/cli';
import { MCHID, MERCHANT_SERIAL } from '../helpers/keys';
import { scratch } from '../helpers/openssl';

/**
 * Issue 19.10: a `--config` file with a syntax slip (a single-quoted or unquoted value) made the CLI print
 * JSON.parse's message, which quotes 9-10 characters of the source around the error: part of the APIv3/APIv2 key.
 * The error now says where (line, column, field) and quotes nothing of the file.
 */
jest.setTimeout(60_000);

const KEY = 'Zq8vR2mXw4Lp9TnB6yHc3JdK7sFg5aEu';

describe('--config syntax errors name the place, never the source (issue 19.10)', () => {
  const dir = scratch();
  afterAll(() => dir.remove());

  it.each<[string, string, RegExp]>([
    [
      'a single-quoted APIv3 key',
      `{\n  "mchid": "${MCHID}",\n  "serial": "${MERCHANT_SERIAL}",\n  "apiv3Key": '${KEY}'\n}\n`,
      /^--config: not JSON at line 4, column 15 \(in field apiv3Key\): expected a value/,
    ],
    [
      'an unquoted APIv2 key',
      `{"mchid": "${MCHID}", "secret": ${KEY}}`,
      /^--config: not JSON at line 1, column 35 \(in field secret\): expected a value/,
    ],
    [
      'a missing comma after the key',
      `{\n"apiv3Key": "${KEY}"\n"mchid": "${MCHID}"}`,
      /^--config: not JSON at line 3, column 1 \(in field apiv3Key\): expected a , or \}/,
    ],
  ])('%s', async (name, text, where) => {
    const file = dir.path(`${name.replace(/\W+/g, '-')}.json`, text);
    const result = await runCli(['request', 'v3/certificates', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(where);
    // no run of the key's characters, however short, reaches the terminal
    for (let start = 0; start + 4 <= KEY.length; start++)
      expect(result.stderr).not.toContain(KEY.slice(start, start + 4));
  });
});
