/**
 * The Kubernetes minor versions LKE offers, with the dates they are available for new and upgraded clusters.
 * The one list envc keeps: the default in normalize, rule ENVC2042 and the docs read it. Dates follow the
 * upstream release history (kubernetes.io/releases) and LKE's life-cycle policy ("LKE versioning and life
 * cycle policy", techdocs.akamai.com): a version arrives on LKE 4–8 weeks after its upstream release and leaves
 * shortly before its upstream end of life. Update this table when LKE announces a release or a deprecation.
 */
export interface LkeVersion {
  minor: string;
  /** First day LKE offers it (ISO date). */
  from: string;
  /** Last day before LKE stops offering it (its upstream end of life), ISO date. */
  until: string;
}

export const LKE_VERSIONS: readonly LkeVersion[] = [
  { minor: '1.31', from: '2024-09-15', until: '2025-10-28' },
  { minor: '1.32', from: '2025-01-15', until: '2026-02-28' },
  { minor: '1.33', from: '2025-05-01', until: '2026-06-28' },
  { minor: '1.34', from: '2025-09-30', until: '2026-10-27' },
  { minor: '1.35', from: '2026-01-28', until: '2027-02-28' },
  { minor: '1.36', from: '2026-05-27', until: '2027-06-28' },
  { minor: '1.37', from: '2026-09-30', until: '2027-10-28' },
];

/** envc's default: a version in full support (neither the newest nor the next to leave). */
export const DEFAULT_KUBERNETES_VERSION = '1.36';

/** Versions LKE offers on the given day, oldest first. */
export function supportedOn(today: string): LkeVersion[] {
  return LKE_VERSIONS.filter((v) => v.from <= today && today < v.until);
}
