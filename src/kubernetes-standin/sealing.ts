/**
 * The Sealed Secrets controller's half of the format, for tests: a key pair with a self-signed certificate
 * (what the controller publishes at /v1/cert.pem) and the decryption the controller does. The certificate is
 * DER-encoded by hand because node:crypto can parse X.509 but not write it.
 */
import {
  constants,
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  privateDecrypt,
  sign,
} from 'node:crypto';

export interface SealingKeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

let cached: SealingKeyPair | undefined;

/** A 2048-bit RSA key and its certificate (cached per process: key generation is the slow part). */
export function testSealingKeyPair(): SealingKeyPair {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = seq(
    set(seq(oid([2, 5, 4, 3]), utf8('sealed-secret'))),
    set(seq(oid([2, 5, 4, 10]), utf8('sealed-secret'))),
  );
  const sigAlg = seq(oid([1, 2, 840, 113549, 1, 1, 11]), Buffer.from([0x05, 0x00]));
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(Buffer.from([0x01, 0x23, 0x45])),
    sigAlg,
    name,
    seq(utcTime('250101000000Z'), utcTime('491231235959Z')),
    name,
    spki,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, sigAlg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  cached = {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
  };
  return cached;
}

/** The controller's label for a SealedSecret, from its scope annotations. */
export function controllerLabel(
  annotations: Record<string, string> | undefined,
  namespace: string,
  name: string,
): string {
  if (annotations?.['sealedsecrets.bitnami.com/cluster-wide'] === 'true') return '';
  if (annotations?.['sealedsecrets.bitnami.com/namespace-wide'] === 'true') return namespace;
  return `${namespace}/${name}`;
}

/** Decrypts one sealed value with `label`; throws (like the controller's "no key could decrypt") otherwise. */
export function unseal(privateKeyPem: string, label: string, sealedBase64: string): string {
  const buf = Buffer.from(sealedBase64, 'base64');
  if (buf.length < 2) throw new Error('sealed value too short');
  const keyLen = buf.readUInt16BE(0);
  const wrapped = buf.subarray(2, 2 + keyLen);
  const body = buf.subarray(2 + keyLen);
  const sessionKey = privateDecrypt(
    {
      key: createPrivateKey(privateKeyPem),
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: Buffer.from(label, 'utf8'),
    },
    wrapped,
  );
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

// ── minimal DER ─────────────────────────────────────────────────────────────────────────────────────────

function tlv(tag: number, content: Buffer): Buffer {
  const len = content.length;
  let header: Buffer;
  if (len < 0x80) header = Buffer.from([tag, len]);
  else if (len < 0x100) header = Buffer.from([tag, 0x81, len]);
  else header = Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  return Buffer.concat([header, content]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const int = (b: Buffer) => tlv(0x02, b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const utcTime = (s: string) => tlv(0x17, Buffer.from(s, 'ascii'));
function oid(parts: number[]): Buffer {
  const out = [40 * (parts[0] as number) + (parts[1] as number)];
  for (const p of parts.slice(2)) {
    const bytes: number[] = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, Buffer.from(out));
}
