import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decryptWithPlatform,
  describeRuntime,
  packageFixture,
  run,
  signedCallback,
  startWorld,
  SENSITIVE,
} from './helpers';

// Bun and Deno run scripts/runtimes/smoke.mjs against the built package; the sandbox runs here, under Node.
for (const name of ['bun', 'deno'] as const) {
  describeRuntime(name, (bin) => {
    jest.setTimeout(120_000);
    const fixture = packageFixture();
    afterAll(() => fixture.remove());

    it('signs and verifies calls against the sandbox, encrypts a field and answers a callback, on WebCrypto', async () => {
      const world = await startWorld(name);
      try {
        const input = { ...world.input, callback: signedCallback(world, { out_trade_no: `T-${name}` }) };
        const inputFile = join(fixture.dir, `${name}-input.json`);
        writeFileSync(inputFile, JSON.stringify(input));
        const args = name === 'deno' ? ['run', '--allow-all', 'smoke.mjs', inputFile] : ['smoke.mjs', inputFile];
        const output = await run(bin, args, fixture.dir);
        const result = JSON.parse(output.trim().split('\n').at(-1)!);
        expect(result).toMatchObject({
          runtime: name,
          backend: 'webcrypto',
          punished: 200,
          recovered: `${name}-R`,
          refused: 'SIGNATURE_MISMATCH',
          callbackStatus: 204,
          callback: { out_trade_no: `T-${name}` },
        });
        expect(decryptWithPlatform(world, result.ciphertext)).toBe(SENSITIVE);
      } finally {
        await world.sandbox.stop();
      }
    });
  });
}
