/**
 * Generated secret values: `length` characters drawn uniformly from the spec's alphabet with node:crypto
 * (`randomInt` rejects out-of-range draws, so no character is likelier than another).
 */
import { randomInt } from 'node:crypto';
import type { SecretModel } from '../compiler/model.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';

export const ALPHABETS: Record<SecretModel['alphabet'], string> = {
  alphanumeric: UPPER + LOWER + DIGITS,
  hex: `${DIGITS}abcdef`,
  base64url: `${UPPER}${LOWER}${DIGITS}-_`,
  // Printable ASCII without the space (0x21–0x7e).
  printable: Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join(''),
};

export function generateValue(length: number, alphabet: SecretModel['alphabet']): string {
  const chars = ALPHABETS[alphabet];
  if (!Number.isInteger(length) || length < 1)
    throw new RangeError(`length must be a positive integer, not ${length}`);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[randomInt(chars.length)];
  return out;
}
