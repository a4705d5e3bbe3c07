import { isIPv4, isIPv6 } from 'node:net';

/**
 * Value syntaxes the JSON Schema cannot express (or expresses only loosely), as the services that receive the
 * values define them: Linode (CIDRs, ports, bucket names), DNS (RFC 1123 host names), Kubernetes (label
 * values, qualified names). Pure predicates; each returns a reason when the value is wrong.
 */

/** `a.b.c.d/n` or `x::y/n` with a prefix length that fits the family. */
export function cidrProblem(text: string, family: 4 | 6): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return 'is not a CIDR block (no "/prefix")';
  const ip = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const okIp = family === 4 ? isIPv4(ip) : isIPv6(ip);
  if (!okIp) return `is not an IPv${family} address followed by a prefix length`;
  const max = family === 4 ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefix) || Number(prefix) > max)
    return `has prefix length ${JSON.stringify(prefix)}; IPv${family} prefixes are 0–${max}`;
  return undefined;
}

/** Linode firewall `ports`: "443", "80,443", "30000-32767"; every port 1–65535, ranges ascending. */
export function portsProblem(text: string): string | undefined {
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi))
      return `has a malformed entry ${JSON.stringify(part)}`;
    for (const p of [lo, hi]) if (p < 1 || p > 65535) return `names port ${p}; ports are 1–65535`;
    if (hi < lo) return `has the range ${part} with its bounds reversed`;
  }
  return undefined;
}

/**
 * A DNS host name (RFC 1123): labels of 1–63 letters, digits and "-", not starting or ending with "-",
 * at most 253 characters; a leading "*." wildcard is allowed where `wildcard` is set (Ingress allows it).
 */
export function hostProblem(text: string, wildcard: boolean): string | undefined {
  const name = wildcard && text.startsWith('*.') ? text.slice(2) : text;
  if (name.length === 0) return 'is empty';
  if (text.length > 253) return `is ${text.length} characters; host names are at most 253`;
  for (const label of name.split('.')) {
    if (label.length === 0) return 'has an empty label (".." or a leading or trailing ".")';
    if (label.length > 63)
      return `has the label ${JSON.stringify(label.slice(0, 20))}… longer than 63 characters`;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label))
      return `has the label ${JSON.stringify(label)}: lowercase letters, digits and "-" only, not at either end`;
  }
  return undefined;
}

/**
 * Linode Object Storage bucket names: 3–63 characters of lowercase letters, digits, "." and "-", starting and
 * ending with a letter or digit, no ".." / "-." / ".-" (the rules of @linode/validation's CreateBucketSchema,
 * which a test checks this against; that library is not loaded here because it costs ~0.9 s to import).
 */
export function bucketProblem(text: string): string | undefined {
  if (text.length < 3 || text.length > 63) return `is ${text.length} characters; bucket names are 3–63`;
  if (!/^[a-z0-9.-]+$/.test(text)) return 'may hold only lowercase letters, digits, "." and "-"';
  if (!/^[a-z0-9]/.test(text) || !/[a-z0-9]$/.test(text)) return 'must start and end with a letter or digit';
  if (/\.\.|\.-|-\.|--/.test(text))
    return 'may not hold adjacent periods or hyphens, or a period next to a hyphen';
  return undefined;
}

/** A Kubernetes label value: at most 63 characters, alphanumerics with "-", "_", "." inside; may be empty. */
export function labelValueProblem(text: string): string | undefined {
  if (text.length > 63) return `is ${text.length} characters; label values are at most 63`;
  if (text !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(text))
    return 'must be letters, digits, "-", "_" or "." and start and end with a letter or digit';
  return undefined;
}

/** A Kubernetes qualified name's prefix (a DNS subdomain of at most 253 characters), if it has one. */
export function qualifiedNamePrefixProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash);
  return hostProblem(prefix, false)
    ? `has the prefix ${JSON.stringify(prefix)}, which is not a DNS subdomain`
    : undefined;
}

/** An IANA time zone the runtime (and so node-cron) knows. */
export function timeZoneProblem(text: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return undefined;
  } catch {
    return 'is not an IANA time zone';
  }
}
