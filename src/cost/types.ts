/** The shapes the cost service reports in (spec cost and plan delta). */
import type { Origin } from '../compiler/model.js';

export type CostKind =
  | 'node-pool'
  | 'control-plane'
  | 'database'
  | 'nodebalancer'
  | 'volume'
  | 'object-storage';

export interface CostItem {
  kind: CostKind;
  /** What a person recognises: `pool gpu: 1 × g2-gpu-rtx4000a1-s`. */
  name: string;
  /** The catalogue key that priced it. */
  priceKey: string;
  quantity: number;
  /** Price of one unit per month (node, GB, cluster); undefined when the catalogue has no price. */
  unitMonthly?: number;
  /** True when the region's own price was used. */
  regional?: boolean;
  /** quantity × unitMonthly; 0 when the price is unknown (and the item is listed under `unknown`). */
  monthly: number;
  /** Autoscaled pools: the cost at the autoscaler's min and max. */
  range?: { min: number; max: number };
  /** Where the spec says so. */
  origin?: Origin;
}

/** Something that costs money but has no price in the catalogue: named, never counted as zero silently. */
export interface UnknownPrice {
  name: string;
  priceKey: string;
  region: string;
}

export interface EnvironmentCost {
  env: string;
  region: string;
  currency: 'USD';
  /** At the counts the spec sets (autoscaled pools at their `count`). */
  monthly: number;
  /** Autoscaled pools at their min and max. */
  range: { min: number; max: number };
  items: CostItem[];
  unknown: UnknownPrice[];
  budget?: { monthly: number; currency: 'USD' };
}

export interface CatalogueInfo {
  date: string;
  source: string;
  /** Set when older than 90 days. */
  stale?: string;
}

export interface SpecCost {
  currency: 'USD';
  catalogue: CatalogueInfo;
  environments: EnvironmentCost[];
  total: number;
  totalRange: { min: number; max: number };
}
