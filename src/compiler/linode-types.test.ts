import { describe, expect, it } from 'vitest';
import {
  isGpuPlan,
  knownPlanTypes,
  linodePlan,
  nodeAllocatable,
  reservedCpuMillis,
  reservedMemoryBytes,
} from './linode-types.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('linode plan table', () => {
  it('knows the plans of the default spec with their published sizes', () => {
    expect(linodePlan('g6-standard-4')).toEqual({ vcpus: 4, memoryBytes: 8 * GiB, gpus: 0 });
    expect(linodePlan('g6-dedicated-8')).toEqual({ vcpus: 8, memoryBytes: 16 * GiB, gpus: 0 });
    expect(linodePlan('g6-standard-8')).toEqual({ vcpus: 8, memoryBytes: 32 * GiB, gpus: 0 });
    expect(linodePlan('g2-gpu-rtx4000a1-s')).toEqual({ vcpus: 4, memoryBytes: 16 * GiB, gpus: 1 });
    expect(linodePlan('g6-nanode-1')?.memoryBytes).toBe(1 * GiB);
  });
  it('returns undefined for unknown ids, including prototype keys', () => {
    expect(linodePlan('g6-standrd-4')).toBeUndefined();
    expect(linodePlan('toString')).toBeUndefined();
    expect(nodeAllocatable('__proto__')).toBeUndefined();
  });
  it('marks GPU plans', () => {
    expect(isGpuPlan('g1-gpu-rtx6000-2')).toBe(true);
    expect(isGpuPlan('g6-dedicated-8')).toBe(false);
    expect(isGpuPlan('unknown')).toBe(false);
  });
  it('lists plan ids sorted, every one with a positive size', () => {
    expect([...knownPlanTypes].sort()).toEqual(knownPlanTypes);
    for (const t of knownPlanTypes) {
      const a = nodeAllocatable(t)!;
      expect(a.cpuMillis, t).toBeGreaterThan(0);
      expect(a.memoryBytes, t).toBeGreaterThan(0);
    }
  });
});

describe('nodeAllocatable (tiered kubelet reservations)', () => {
  it('reserves 6% + 1% + 2×0.5% + 0.25% per further core', () => {
    expect(reservedCpuMillis(1000)).toBeCloseTo(60);
    expect(reservedCpuMillis(2000)).toBeCloseTo(70);
    expect(reservedCpuMillis(4000)).toBeCloseTo(80);
    expect(reservedCpuMillis(8000)).toBeCloseTo(90);
  });
  it('reserves 25% / 20% / 10% / 6% / 2% of memory tiers plus 100Mi eviction', () => {
    expect(reservedMemoryBytes(4 * GiB)).toBeCloseTo(GiB + 100 * MiB);
    expect(reservedMemoryBytes(8 * GiB)).toBeCloseTo(GiB + 0.8 * GiB + 100 * MiB);
    expect(reservedMemoryBytes(16 * GiB)).toBeCloseTo(2.6 * GiB + 100 * MiB);
    expect(reservedMemoryBytes(256 * GiB)).toBeCloseTo(
      2.6 * GiB + 0.06 * 112 * GiB + 0.02 * 128 * GiB + 100 * MiB,
    );
  });
  it('gives the figures the docs quote', () => {
    expect(nodeAllocatable('g6-standard-4')).toEqual({
      cpuMillis: 3920,
      memoryBytes: Math.floor(8 * GiB - 1.8 * GiB - 100 * MiB),
    });
    expect(nodeAllocatable('g6-dedicated-8')?.cpuMillis).toBe(7910);
    expect((nodeAllocatable('g6-dedicated-8')!.memoryBytes / GiB).toFixed(1)).toBe('13.3');
  });
  it("fits the default spec's quotas at the pools' normal count", () => {
    // production: 30 × 500m on 4 × g6-dedicated-8; development/staging: 30 × 250m on 3 × g6-standard-4
    expect(4 * nodeAllocatable('g6-dedicated-8')!.cpuMillis).toBeGreaterThanOrEqual(30 * 500);
    expect(4 * nodeAllocatable('g6-dedicated-8')!.memoryBytes).toBeGreaterThanOrEqual(30 * GiB);
    expect(3 * nodeAllocatable('g6-standard-4')!.cpuMillis).toBeGreaterThanOrEqual(30 * 250);
    expect(3 * nodeAllocatable('g6-standard-4')!.memoryBytes).toBeGreaterThanOrEqual(30 * 512 * MiB);
  });
});
