/**
 * Access durations as people type them: `90m`, `2h`, `1h30m`, `1d`. Stricter than "anything ms accepts" on
 * purpose — a typo must be refused, not read as milliseconds.
 */
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

export function parseAccessDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (!/^(\d+[smhdw])+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+)([smhdw])/g)) total += Number(m[1]) * (UNITS[m[2] as string] as number);
  return total > 0 ? total : undefined;
}

/** Seconds → `1h30m`, `2h`, `45m`, `1d` (largest units first, zero parts left out). */
export function formatAccessDuration(seconds: number): string {
  let left = Math.max(0, Math.round(seconds));
  const out: string[] = [];
  for (const [u, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (left >= size) {
      out.push(`${Math.floor(left / size)}${u}`);
      left %= size;
    }
  }
  return out.length ? out.join('') : '0s';
}
