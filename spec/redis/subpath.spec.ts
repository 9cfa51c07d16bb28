import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The built package as users load it (`npm test` builds first): `wechatpay-chain/redis` through `exports`. */
const root = join(__dirname, '..', '..');
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

// whether any ioredis module was loaded: it is an optional peer dependency, loaded by the caller only
const IOREDIS_LOADED = `Object.keys(require.cache).some((file) => file.includes('/node_modules/ioredis/'))`;

describe('wechatpay-chain/redis', () => {
  it('require: exports redisStore, and neither it nor the package loads ioredis', () => {
    const out = run([
      '-e',
      `const { Builder } = require('wechatpay-chain');
       const { redisStore } = require('wechatpay-chain/redis');
       console.log(JSON.stringify({ redisStore: typeof redisStore, factory: typeof Builder.factory, ioredis: ${IOREDIS_LOADED} }));`,
    ]);
    expect(JSON.parse(out)).toEqual({ redisStore: 'function', factory: 'function', ioredis: false });
  });

  it('import: exports redisStore, and does not load ioredis', () => {
    const out = run([
      '--input-type=module',
      '-e',
      `import { redisStore } from 'wechatpay-chain/redis'; import { createRequire } from 'node:module';
       const require = createRequire(process.cwd() + '/');
       console.log(JSON.stringify({ redisStore: typeof redisStore, ioredis: ${IOREDIS_LOADED} }));`,
    ]);
    expect(JSON.parse(out)).toEqual({ redisStore: 'function', ioredis: false });
  });

  it('refuses something that is not an ioredis client, saying what it takes', () => {
    const out = run([
      '-e',
      `try { require('wechatpay-chain/redis').redisStore({}) } catch (error) { console.log(error.message) }`,
    ]);
    expect(out).toMatch(/takes an ioredis client/);
  });
});
