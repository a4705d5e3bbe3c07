/**
 * What the bot shows of a drift finding, read tolerantly from the runner's summary JSON: resources changed
 * outside Terraform (refresh-only plan), generated code not yet applied (normal plan), and generated files
 * out of date with the spec (`compile --check`).
 */
export interface DriftView {
  outOfBand: string[];
  unapplied: string[];
  staleFiles: string[];
}

type J = Record<string, unknown>;

function addresses(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'string' ? x : String((x as J)?.address ?? (x as J)?.path ?? '?')));
}

export function driftView(summary: J): DriftView {
  return {
    outOfBand: addresses(
      summary.outOfBand ?? summary.refreshOnly ?? summary.changedOutside ?? summary.drifted,
    ),
    unapplied: addresses(summary.unapplied ?? summary.pending ?? summary.notApplied ?? summary.planned),
    staleFiles: addresses(summary.staleFiles ?? summary.stale ?? summary.compile),
  };
}

export function driftCount(d: DriftView): number {
  return d.outOfBand.length + d.unapplied.length + d.staleFiles.length;
}

export function driftText(d: DriftView): string {
  const parts: string[] = [];
  if (d.outOfBand.length) parts.push(`${d.outOfBand.length} changed outside Terraform`);
  if (d.unapplied.length) parts.push(`${d.unapplied.length} not yet applied`);
  if (d.staleFiles.length) parts.push(`${d.staleFiles.length} generated file(s) stale`);
  return parts.join(', ') || 'no details';
}
