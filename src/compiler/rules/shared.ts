/** Small helpers the rules share: wording of quantities, port ranges, world-open CIDRs. Pure. */

import type { FirewallRuleModel, Origin } from '../model.js';
import { formatCpu, formatMemory } from '../quantities.js';

export const WORLD_IPV4 = '0.0.0.0/0';
export const WORLD_IPV6 = '::/0';

/** True when a CIDR list lets in every address of its family (`0.0.0.0/0`, `::/0`, `::0/0`). */
export function opensToWorld(rule: Pick<FirewallRuleModel, 'ipv4' | 'ipv6'>): string | undefined {
  const v4 = rule.ipv4.find((c) => /\/0$/.test(c));
  if (v4) return v4;
  return rule.ipv6.find((c) => /\/0$/.test(c));
}

/** Whether a firewall `ports` string ("22", "20-25", "80,443") covers `port`. No ports means every port. */
export function portsCover(ports: string | undefined, port: number): boolean {
  if (ports === undefined || ports.trim() === '') return true;
  return ports.split(',').some((part) => {
    const [lo, hi] = part
      .trim()
      .split('-')
      .map((n) => Number(n));
    if (lo === undefined || Number.isNaN(lo)) return false;
    return hi === undefined || Number.isNaN(hi) ? port === lo : port >= lo && port <= hi;
  });
}

/** Whether a rule of this protocol carries TCP traffic (IPENCAP and ICMP do not; UDP does not). */
export function carriesTcp(rule: Pick<FirewallRuleModel, 'protocol'>): boolean {
  return rule.protocol === 'TCP';
}

export function cpu(millis: number): string {
  return millis >= 1000 && millis % 1000 === 0
    ? `${millis / 1000} cores`
    : `${formatCpu(Math.round(millis))} CPU`;
}

/** Memory in the largest binary unit that keeps one decimal, e.g. `13.3Gi`. */
export function memory(bytes: number): string {
  const exact = formatMemory(bytes);
  if (!/^[0-9]+$/.test(exact)) return exact;
  for (const [unit, size] of [
    ['Ti', 1024 ** 4],
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ] as const) {
    if (bytes >= size) return `${(bytes / size).toFixed(1)}${unit}`;
  }
  return `${bytes}`;
}

/** Quote a value for a message: `"production"`. */
export function q(value: string | number): string {
  return JSON.stringify(String(value));
}

/** The names, comma-joined and quoted. */
export function list(values: readonly string[]): string {
  return values.map((v) => q(v)).join(', ');
}

/** An origin for a sub-path of a known origin when the model has no finer position. */
export function at(origin: Origin, path?: string): Origin {
  return path ? { ...origin, path } : origin;
}

/** `1.33` → 33. Undefined for anything that is not `1.NN`. */
export function minorOf(version: string): number | undefined {
  const m = /^1\.([0-9]+)$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** Slack user ids (not groups or handles): their number is the number of people who can approve. */
export function isUserId(approver: string): boolean {
  return /^[UW][A-Z0-9]{6,}$/.test(approver);
}
