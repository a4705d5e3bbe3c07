/**
 * What in a Helm release's values or a Kubernetes object costs money on Linode: every PersistentVolumeClaim
 * becomes a Block Storage volume (the Linode CSI driver), every Service of type LoadBalancer a NodeBalancer
 * (the Linode cloud controller manager). One walker serves both the spec's cost (values envc generates) and a
 * plan's cost (the same values as terraform shows them in a helm_release), so the two always agree. Pure.
 */

/** Linode Block Storage volumes are at least 10 GB; the CSI driver rounds smaller claims up. */
export const MIN_VOLUME_GB = 10;

export interface VolumeClaim {
  /** Where in the values, e.g. `prometheus.prometheusSpec.storageSpec`. */
  path: string;
  /** Size requested, in GB (Gi and G both count as GB: Linode sizes volumes in whole GB). */
  requestedGb: number;
  /** What Linode bills: the request rounded up, at least MIN_VOLUME_GB. */
  billedGb: number;
  /** One claim per replica of the workload that owns it (StatefulSet volumeClaimTemplates). */
  replicas: number;
}

export interface Billable {
  volumes: VolumeClaim[];
  /** Paths of Services of type LoadBalancer. */
  loadBalancers: string[];
}

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => !!v && typeof v === 'object' && !Array.isArray(v);

/** "120Gi" / "20G" / "512Mi" / "1Ti" → GB (binary and decimal both read as GB; sub-GB rounds up). */
export function storageGb(text: unknown): number | undefined {
  if (typeof text === 'number') return text > 0 ? text / 1e9 : undefined;
  if (typeof text !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const factor: Record<string, number> = {
    '': 1e-9,
    Ki: 1 / 1024 ** 2,
    k: 1e-6,
    K: 1e-6,
    Mi: 1 / 1024,
    M: 1e-3,
    Gi: 1,
    G: 1,
    Ti: 1024,
    T: 1000,
    Pi: 1024 ** 2,
    P: 1e6,
  };
  return n * (factor[unit] ?? 1);
}

export function billedGb(requestedGb: number): number {
  return Math.max(MIN_VOLUME_GB, Math.ceil(requestedGb - 1e-9));
}

function replicasOf(o: J): number | undefined {
  for (const k of ['replicas', 'replicaCount']) {
    const v = o[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  }
  return undefined;
}

/**
 * The Linode CCM attaches a Service to an existing NodeBalancer (one Terraform creates and prices itself)
 * when this annotation names it; such a Service adds no NodeBalancer.
 */
export const NODEBALANCER_ID_ANNOTATION = 'service.beta.kubernetes.io/linode-loadbalancer-nodebalancer-id';

function reusesNodeBalancer(service: J): boolean {
  const a = service.annotations ?? (isObj(service.metadata) ? service.metadata.annotations : undefined);
  return isObj(a) && a[NODEBALANCER_ID_ANNOTATION] !== undefined;
}

/** A claim under this object: chart `persistence` blocks or a `volumeClaimTemplate`. */
function claimSize(o: J): unknown {
  // Grafana-style charts: persistence: { enabled, size }; redis-ha: persistentVolume: { enabled, size }
  if ('size' in o) {
    return o.enabled === false ? undefined : o.size;
  }
  // PVC specs and volumeClaimTemplates: spec.resources.requests.storage
  const spec = isObj(o.spec) ? o.spec : undefined;
  const res = spec && isObj(spec.resources) ? spec.resources : undefined;
  const req = res && isObj(res.requests) ? res.requests : undefined;
  return req?.storage;
}

/**
 * Walks a values tree. A claim's replica count is the nearest `replicas`/`replicaCount` on the way down
 * (prometheusSpec.replicas, singleBinary.replicas, redis-ha's top-level replicas), else 1.
 */
export function billableInValues(values: unknown): Billable {
  const out: Billable = { volumes: [], loadBalancers: [] };
  const walk = (v: unknown, path: string[], replicas: number) => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...path, String(i)], replicas);
      return;
    }
    if (!isObj(v)) return;
    const here = replicasOf(v) ?? replicas;
    const key = path[path.length - 1];
    if (
      key === 'persistence' ||
      key === 'persistentVolume' ||
      key === 'volumeClaimTemplate' ||
      key === 'storageSpec'
    ) {
      const size = claimSize(v);
      const gb = storageGb(size);
      if (gb !== undefined && gb > 0) {
        out.volumes.push({ path: path.join('.'), requestedGb: gb, billedGb: billedGb(gb), replicas: here });
        return;
      }
      if ((key === 'persistence' || key === 'persistentVolume') && v.enabled === false) return;
    }
    if (key === 'service' && v.type === 'LoadBalancer' && !reusesNodeBalancer(v))
      out.loadBalancers.push(path.join('.'));
    for (const [k, x] of Object.entries(v)) walk(x, [...path, k], here);
  };
  walk(values, [], 1);
  return out;
}

/** A Kubernetes object (manifest) → what it bills: a LoadBalancer Service or a PersistentVolumeClaim. */
export function billableInObject(obj: unknown): Billable {
  const out: Billable = { volumes: [], loadBalancers: [] };
  if (!isObj(obj)) return out;
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  const name = isObj(obj.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : '?';
  if (obj.kind === 'Service' && spec?.type === 'LoadBalancer' && !reusesNodeBalancer(obj))
    out.loadBalancers.push(`Service/${name}`);
  if (obj.kind === 'PersistentVolumeClaim') {
    const gb = storageGb(claimSize(obj));
    if (gb !== undefined && gb > 0)
      out.volumes.push({
        path: `PersistentVolumeClaim/${name}`,
        requestedGb: gb,
        billedGb: billedGb(gb),
        replicas: 1,
      });
  }
  return out;
}
