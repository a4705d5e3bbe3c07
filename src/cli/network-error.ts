/**
 * Tells a network failure (nothing answered, DNS, TLS, timeout) from a bug, so commands can say "cannot
 * reach X" with exit 5 (not ready) instead of "internal error". Looks through `cause` chains: fetch, undici
 * and the AWS SDK wrap the socket error.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

export function networkErrorCode(err: unknown): string | undefined {
  for (
    let e = err as { code?: unknown; name?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 6;
    i++
  ) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    if (e.name === 'TimeoutError') return 'ETIMEDOUT';
    e = e.cause as typeof e;
  }
  return undefined;
}
