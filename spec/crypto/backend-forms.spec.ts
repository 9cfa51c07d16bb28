import { createPublicKey, verify } from 'node:crypto';
import { AesGcm, Rsa, nodeBackend, webcryptoBackend } from '../../lib';
import { merchantKeys, platformKeys } from '../helpers/keys';

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The one crypto seam: each backend has every operation in an asynchronous and a synchronous form. */
describe('crypto backends: synchronous and asynchronous forms', () => {
  const merchant = merchantKeys();
  const message = new TextEncoder().encode('GET\n/v3/certificates\n1554208460\nNONCE\n\n');

  it('node: both forms give the same (deterministic) signature, which openssl-compatible verify accepts', async () => {
    const key = nodeBackend.loadKeySync(merchant.privateKey, 'private');
    const sync = nodeBackend.signSync(message, key);
    await expect(nodeBackend.sign(message, key)).resolves.toBe(sync);
    expect(sync).toBe(Rsa.sign(Buffer.from(message), merchant.privateKey));
    expect(verify('sha256', message, createPublicKey(merchant.publicKey), Buffer.from(sync, 'base64'))).toBe(true);
    const publicKey = await nodeBackend.importKey(merchant.publicKey, 'public');
    expect(nodeBackend.verifySync(message, sync, publicKey)).toBe(true);
    await expect(nodeBackend.verify(message, sync, publicKey)).resolves.toBe(true);
    const other = nodeBackend.loadKeySync(platformKeys().publicKey, 'public');
    expect(nodeBackend.verifySync(message, sync, other)).toBe(false);
    // not canonical base64: a mismatch, never "close enough"
    expect(nodeBackend.verifySync(message, sync.replace(/=+$/, ''), publicKey)).toBe(false);
  });

  it('node: OAEP and AES-GCM round-trip across the two forms', async () => {
    const publicKey = nodeBackend.loadKeySync(merchant.publicKey, 'public');
    const privateKey = nodeBackend.loadKeySync(merchant.privateKey, 'private');
    const sealed = nodeBackend.encryptSync('13800138000', publicKey);
    await expect(nodeBackend.decrypt(sealed, privateKey)).resolves.toBe('13800138000');
    expect(nodeBackend.decryptSync(await nodeBackend.encrypt('张三', publicKey), privateKey)).toBe('张三');
    expect(() => nodeBackend.encryptSync('x'.repeat(215), publicKey)).toThrow(/at most 214/);
    const apiv3Key = '0123456789abcdef0123456789abcdef';
    const ciphertext = AesGcm.encrypt('{"a":1}', apiv3Key, '0123456789ab', 'transaction');
    expect(nodeBackend.aesGcmDecryptSync(ciphertext, apiv3Key, '0123456789ab', 'transaction')).toBe('{"a":1}');
    await expect(
      nodeBackend.aesGcmDecrypt(ciphertext, Buffer.from(apiv3Key), '0123456789ab', 'transaction'),
    ).resolves.toBe('{"a":1}');
    await expect(nodeBackend.aesGcmDecrypt(ciphertext, apiv3Key, '0123456789ab', 'other')).rejects.toThrow();
  });

  it('webcrypto: not synchronous; each synchronous form throws a TypeError pointing to the asynchronous one', async () => {
    expect(nodeBackend.synchronous).toBe(true);
    expect(webcryptoBackend.synchronous).toBe(false);
    const key = await webcryptoBackend.importKey(merchant.privateKey, 'private');
    const publicKey = await webcryptoBackend.importKey(merchant.publicKey, 'public');
    const forms: Array<[string, () => unknown]> = [
      ['loadKeySync', () => webcryptoBackend.loadKeySync(merchant.privateKey, 'private')],
      ['signSync', () => webcryptoBackend.signSync(message, key)],
      ['verifySync', () => webcryptoBackend.verifySync(message, 'AA==', publicKey)],
      ['encryptSync', () => webcryptoBackend.encryptSync('x', publicKey)],
      ['decryptSync', () => webcryptoBackend.decryptSync('AA==', key)],
      ['aesGcmDecryptSync', () => webcryptoBackend.aesGcmDecryptSync('AA==', 'k', 'n', '')],
    ];
    for (const [name, call] of forms) {
      expect({ name, thrown: thrown(call) }).toEqual({ name, thrown: expect.any(TypeError) });
      expect(thrown(call)).toMatchObject({
        message: expect.stringMatching(/no synchronous .*: use its asynchronous form/),
      });
    }
    // and its asynchronous forms agree with node's
    await expect(webcryptoBackend.sign(message, key)).resolves.toBe(
      Rsa.sign(Buffer.from(message), merchant.privateKey),
    );
  });
});
