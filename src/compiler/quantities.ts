/** Parsing of the spec's small value languages: durations, CPU and memory quantities. Pure. */

const durationUnits: Record<string, number> = { m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `30d` → 2592000. Returns undefined for anything the schema's duration pattern would reject. */
export function parseDuration(text: string): number | undefined {
  const m = /^([1-9][0-9]*)(m|h|d|w)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * durationUnits[m[2]!]!;
}

/** Seconds → the shortest exact duration text (`86400` → `1d`). */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${Math.round(seconds)}s`;
}

/** `250m` → 250, `2` → 2000, `0.5` → 500 (millicores). */
export function parseCpu(text: string): number | undefined {
  if (/^[0-9]+m$/.test(text)) return Number(text.slice(0, -1));
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Math.round(Number(text) * 1000);
  return undefined;
}

const memoryUnits: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** `512Mi` → 536870912 (bytes). */
export function parseMemory(text: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * memoryUnits[m[2] ?? '']!);
}

/** Millicores → a Kubernetes quantity (`7500` → `7500m`, `8000` → `8`). */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes → a binary Kubernetes quantity (`16106127360` → `15Gi`). */
export function formatMemory(bytes: number): string {
  for (const [unit, size] of [
    ['Ti', 1024 ** 4],
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
