import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { BIN } from '../helpers/cli';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';
import { openssl, scratch } from '../helpers/openssl';
import { handWrittenDocs, outputMatches } from './extract';
import { extractShell, jsonBlockOf, runShell } from './shell';

/**
 * The docs' shell blocks that run offline, run as written in a directory holding what the pages assume: the
 * merchant's `apiclient_key.pem` and `apiclient_cert.pem` (made by openssl, serial as the docs print it),
 * `pub_key.pem`, and docs/obtaining-keys.md's `wechatpay.json`. The CLI talks to a sandbox: the environment
 * gives `WECHATPAY_BASE_URL`, the sandbox's WeChat Pay key (`WECHATPAY_CERTS`, its id is the sandbox's) and
 * `WECHATPAY_APIV3_KEY`, as a user's shell would give theirs.
 */
const root = join(__dirname, '..', '..');
const examples = extractShell(root, handWrittenDocs(root));

describe('docs shell examples run as written', () => {
  const dir = scratch();
  let sandbox: SandboxHandle;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
      mode: 'both',
      signWith: 'certificate',
    });
    const key = dir.path('apiclient_key.pem', merchantKeys().privateKey);
    openssl(
      ['req', '-new', '-x509', '-key', key, '-out', dir.path('apiclient_cert.pem'), '-days', '1'].concat([
        '-subj',
        '/CN=1900000001',
        '-set_serial',
        `0x${MERCHANT_SERIAL}`,
      ]),
    );
    const keyFile = dir.path('wechatpay_platform.pem', String(sandbox.certs[sandbox.platformSerial]));
    const publicKeyId = Object.keys(sandbox.certs).find((id) => id.startsWith('PUB_KEY_ID_'))!;
    dir.path('pub_key.pem', String(sandbox.certs[publicKeyId]));
    writeFileSync(dir.path('wechatpay.json'), JSON.stringify(jsonBlockOf(join(root, 'docs', 'obtaining-keys.md'))));
    env = {
      WECHATPAY_BASE_URL: sandbox.url,
      WECHATPAY_CERTS: `${sandbox.platformSerial}=${keyFile}`,
      WECHATPAY_APIV3_KEY: sandbox.apiv3Key,
    };
  });
  afterAll(async () => {
    await sandbox.stop();
    dir.remove();
  });

  it('finds the blocks; every one not run says why (a comment above it)', () => {
    expect(examples.length).toBeGreaterThan(5);
    for (const { where, problem, mode, reason } of examples) {
      expect({ where, problem }).toEqual({ where, problem: undefined });
      if (mode !== 'run') expect({ where, reason }).toEqual({ where, reason: expect.any(String) });
    }
  });

  const runnable = examples.filter((example) => example.mode === 'run');
  it.each(runnable.map((example) => [example.where, example] as const))('%s', async (_where, example) => {
    const result = await runShell(example.code, dir.path('.'), BIN, env);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const printed = result.stdout.replace(/\n$/, '');
    if (!outputMatches(printed, example.output)) expect(printed).toBe(example.output);
  });
});
