/** Standard base64 with its padding: the shape an encrypted sensitive field has (RSA-OAEP ciphertext, base64). */
export const BASE64_SHAPE = /^[A-Za-z0-9+/]+={0,2}$/;

export function isBase64Shaped(value: string): boolean {
  return BASE64_SHAPE.test(value);
}
