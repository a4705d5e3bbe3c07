/**
 * Linode (Akamai Cloud) compute plans that LKE node pools can use, and the capacity a node offers to pods.
 *
 * Figures are those of the public plan list (`GET /v4/linode/types`): vCPUs, memory in MiB and GPUs.
 * The list changes rarely; a plan missing here is not an error by itself — capacity checks skip it and say so.
 */

export interface LinodePlan {
  vcpus: number;
  memoryBytes: number;
  gpus: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** [vcpus, memory MiB, gpus]. Kept as a compact table so a reviewer can compare it with the API at a glance. */
const PLANS: Record<string, readonly [number, number, number]> = {
  // Shared CPU
  'g6-nanode-1': [1, 1024, 0],
  'g6-standard-1': [1, 2048, 0],
  'g6-standard-2': [2, 4096, 0],
  'g6-standard-4': [4, 8192, 0],
  'g6-standard-6': [6, 16384, 0],
  'g6-standard-8': [8, 32768, 0],
  'g6-standard-16': [16, 65536, 0],
  'g6-standard-20': [20, 98304, 0],
  'g6-standard-24': [24, 131072, 0],
  'g6-standard-32': [32, 196608, 0],
  // Dedicated CPU
  'g6-dedicated-2': [2, 4096, 0],
  'g6-dedicated-4': [4, 8192, 0],
  'g6-dedicated-8': [8, 16384, 0],
  'g6-dedicated-16': [16, 32768, 0],
  'g6-dedicated-32': [32, 65536, 0],
  'g6-dedicated-48': [48, 98304, 0],
  'g6-dedicated-50': [50, 131072, 0],
  'g6-dedicated-56': [56, 262144, 0],
  'g6-dedicated-64': [64, 524288, 0],
  // Premium CPU
  'g7-premium-2': [2, 4096, 0],
  'g7-premium-4': [4, 8192, 0],
  'g7-premium-8': [8, 16384, 0],
  'g7-premium-16': [16, 32768, 0],
  'g7-premium-32': [32, 65536, 0],
  'g7-premium-48': [48, 98304, 0],
  'g7-premium-50': [50, 131072, 0],
  'g7-premium-56': [56, 262144, 0],
  'g7-premium-64': [64, 524288, 0],
  // High memory
  'g7-highmem-1': [2, 24576, 0],
  'g7-highmem-2': [2, 49152, 0],
  'g7-highmem-4': [4, 92160, 0],
  'g7-highmem-8': [8, 153600, 0],
  'g7-highmem-16': [16, 307200, 0],
  // GPU: NVIDIA RTX 6000
  'g1-gpu-rtx6000-1': [8, 32768, 1],
  'g1-gpu-rtx6000-2': [16, 65536, 2],
  'g1-gpu-rtx6000-3': [20, 98304, 3],
  'g1-gpu-rtx6000-4': [24, 131072, 4],
  // GPU: NVIDIA RTX 4000 Ada
  'g2-gpu-rtx4000a1-s': [4, 16384, 1],
  'g2-gpu-rtx4000a1-m': [8, 32768, 1],
  'g2-gpu-rtx4000a1-l': [16, 65536, 1],
  'g2-gpu-rtx4000a1-xl': [32, 131072, 1],
  'g2-gpu-rtx4000a2-s': [8, 32768, 2],
  'g2-gpu-rtx4000a2-m': [16, 65536, 2],
  'g2-gpu-rtx4000a4-s': [16, 65536, 4],
  'g2-gpu-rtx4000a4-m': [32, 131072, 4],
};

/** Every plan id envc knows, sorted (for "did you mean" hints). */
export const knownPlanTypes: readonly string[] = Object.keys(PLANS).sort();

export function linodePlan(type: string): LinodePlan | undefined {
  const p = Object.hasOwn(PLANS, type) ? PLANS[type] : undefined;
  if (!p) return undefined;
  return { vcpus: p[0], memoryBytes: p[1] * MiB, gpus: p[2] };
}

export function isGpuPlan(type: string): boolean {
  return (linodePlan(type)?.gpus ?? 0) > 0;
}

/**
 * What one node of this plan can give to pods after the kubelet's reservations.
 *
 * LKE does not publish its kube-reserved/system-reserved figures, so envc uses the tiered formula that
 * managed Kubernetes services document (GKE's, which AKS and EKS follow closely) — conservative for LKE:
 *
 * CPU reserved:    6% of the first core, 1% of the second, 0.5% of cores 3–4, 0.25% of every core above 4.
 * Memory reserved: 25% of the first 4 GiB, 20% of the next 4 GiB, 10% of the next 8 GiB, 6% of the next
 *                  112 GiB, 2% of anything above 128 GiB, plus a 100 MiB hard-eviction threshold.
 *
 * allocatable = capacity − reserved (rounded down to whole millicores / bytes).
 * Example: g6-standard-4 (4 vCPU, 8 GiB) → 3920m CPU, ≈ 6.1 GiB; g6-dedicated-8 (8 vCPU, 16 GiB) → 7910m, ≈ 13.3 GiB.
 */
export function nodeAllocatable(type: string): { cpuMillis: number; memoryBytes: number } | undefined {
  const plan = linodePlan(type);
  if (!plan) return undefined;
  const cpuMillis = plan.vcpus * 1000;
  const memoryBytes = plan.memoryBytes;
  return {
    cpuMillis: Math.floor(cpuMillis - reservedCpuMillis(cpuMillis)),
    memoryBytes: Math.floor(memoryBytes - reservedMemoryBytes(memoryBytes)),
  };
}

function tiered(total: number, tiers: ReadonlyArray<readonly [size: number, fraction: number]>): number {
  let rest = total;
  let reserved = 0;
  for (const [size, fraction] of tiers) {
    const slice = Math.min(rest, size);
    reserved += slice * fraction;
    rest -= slice;
    if (rest <= 0) break;
  }
  return reserved;
}

export function reservedCpuMillis(capacityMillis: number): number {
  return tiered(capacityMillis, [
    [1000, 0.06],
    [1000, 0.01],
    [2000, 0.005],
    [Number.POSITIVE_INFINITY, 0.0025],
  ]);
}

export function reservedMemoryBytes(capacityBytes: number): number {
  const evictionThreshold = 100 * MiB;
  return (
    evictionThreshold +
    tiered(capacityBytes, [
      [4 * GiB, 0.25],
      [4 * GiB, 0.2],
      [8 * GiB, 0.1],
      [112 * GiB, 0.06],
      [Number.POSITIVE_INFINITY, 0.02],
    ])
  );
}
