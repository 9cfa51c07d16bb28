import { AesEcb } from '../crypto/aes';
import { Hash } from '../crypto/hash';
import { Transformer, type XmlObject } from '../crypto/transformer';

/** The `req_info` of an APIv2 refund notification: AES-256-ECB with the md5 (lowercase hex) of the APIv2 key. */
export function decryptRefundNotification(reqInfo: string, secret: string): XmlObject {
  return Transformer.toObject(AesEcb.decrypt(reqInfo, Hash.md5(secret)));
}
