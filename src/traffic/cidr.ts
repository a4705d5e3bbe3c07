/**
 * CIDR arithmetic for IPv4 and IPv6 (BigInt based, no dependency): parse, contain, overlap. Pure.
 */

export interface Cidr {
  family: 4 | 6;
  /** First address of the block. */
  start: bigint;
  /** Last address of the block (inclusive). */
  end: bigint;
  prefix: number;
  text: string;
}

function parseV4(addr: string): bigint | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(addr: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(addr)) return undefined;
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseV4(item);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
        out.push(Number.parseInt(item, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

/** Parses an IP address; undefined when malformed. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  if (text.includes(':')) {
    const v = parseV6(text);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseV4(text);
  return v === undefined ? undefined : { family: 4, value: v };
}

/** Parses `a.b.c.d/n` or `x::/n` (a bare address counts as a host block). */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, bits, extra] = text.split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : /^[0-9]{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const start = (ip.value >> hostBits) << hostBits;
  const end = start + (1n << hostBits) - 1n;
  return { family: ip.family, start, end, prefix, text };
}

export function cidrContainsIp(c: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  return c.family === ip.family && ip.value >= c.start && ip.value <= c.end;
}

/** Whether `outer` contains all of `inner`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && inner.start >= outer.start && inner.end <= outer.end;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** Math.min/max take no BigInt. */
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Whether some address of `range` lies in `block` and in none of `except`. Blocks are aligned, so two blocks
 * either nest or are disjoint; that keeps this exact without interval algebra beyond a sorted sweep.
 */
export function someAddressAllowed(range: Cidr, block: Cidr, except: readonly Cidr[]): boolean {
  if (!cidrsOverlap(range, block)) return false;
  // The overlap of two aligned blocks is the smaller of them.
  const start = maxBig(range.start, block.start);
  const end = minBig(range.end, block.end);
  const holes = except
    .filter((e) => e.family === range.family && e.start <= end && e.end >= start)
    .map((e) => [maxBig(e.start, start), minBig(e.end, end)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let next = start;
  for (const [s, e] of holes) {
    if (s > next) return true;
    if (e + 1n > next) next = e + 1n;
    if (next > end) return false;
  }
  return next <= end;
}
