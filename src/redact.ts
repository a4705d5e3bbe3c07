/**
 * Secrets never reach logs, Slack or error messages. Two nets: values known to be secret (tokens, signing
 * secret, store password) are replaced wherever they appear, and anything shaped like a Slack token, a
 * bearer header or a URL password is masked even when nobody told us about it.
 */
export const REDACTED = '[REDACTED]';

const PATTERNS: RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // user:password@ in URLs (postgres://envc:secret@db/...)
  /(?<=\/\/[^/\s:@]+:)[^@\s/]+(?=@)/g,
];

const SECRET_KEYS =
  /^(token|.*_token|.*Token|secret|.*secret|.*Secret|password|passwd|authorization|signing_secret|signingSecret|appToken|botToken|cookie|x-slack-signature)$/i;

export class Redactor {
  private known: string[];

  constructor(secrets: Array<string | undefined> = []) {
    // Longest first, so a secret that contains another is replaced whole.
    this.known = secrets
      .filter((s): s is string => typeof s === 'string' && s.length >= 6)
      .sort((a, b) => b.length - a.length);
  }

  /** Adds a secret learnt later (e.g. a database URL's password). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 6 && !this.known.includes(secret)) {
      this.known.push(secret);
      this.known.sort((a, b) => b.length - a.length);
    }
  }

  text(s: string): string {
    let out = s;
    for (const k of this.known) out = out.split(k).join(REDACTED);
    for (const p of PATTERNS)
      out = out.replace(p, (_m, scheme: string | undefined) =>
        typeof scheme === 'string' && /^(Bearer|Basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
      );
    return out;
  }

  /** A deep copy with secret-named keys masked and every string scrubbed. */
  value(v: unknown, depth = 0): unknown {
    if (depth > 8) return '[…]';
    if (typeof v === 'string') return this.text(v);
    if (v instanceof Error) return { name: v.name, message: this.text(v.message) };
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        out[k] =
          SECRET_KEYS.test(k) && x !== undefined && x !== null && x !== ''
            ? REDACTED
            : this.value(x, depth + 1);
      return out;
    }
    return v;
  }
}
