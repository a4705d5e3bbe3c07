/**
 * What crosses from one Terraform root to another must hold no credential (docs/adr/0017): the runner scans
 * every output value it passes on (TF_VAR_<name>) and refuses one that looks like a credential, so a
 * credential added to a `published` output by mistake stops the apply instead of reaching another root's
 * variables and state. Pure.
 */

/** Keys whose non-empty string value is a credential. */
const CREDENTIAL_KEY =
  /^(password|passwd|root_password|secret|secret_key|.*_secret|token|.*_token|api_key|private_key|client_key|client_key_data|client-key-data|kubeconfig|bearer_token)$/i;

const CREDENTIAL_TEXT: Array<[string, RegExp]> = [
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a kubeconfig', /\bkind:\s*Config\b[\s\S]*\busers:/],
  ['a bearer token', /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/],
  ['a password in a URL', /\/\/[^/\s:@]+:[^@\s/]+@/],
  ['an AWS-style access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]+/],
];

/** Where (JSON paths) and why a value looks like it carries a credential; empty when it does not. */
export function credentialsIn(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') {
    const found = CREDENTIAL_TEXT.find(([, re]) => re.test(value));
    return found ? [`${path} (${found[0]})`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialsIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      CREDENTIAL_KEY.test(k) && typeof v === 'string' && v !== ''
        ? [`${path}.${k}`]
        : credentialsIn(v, `${path}.${k}`),
    );
  }
  return [];
}
