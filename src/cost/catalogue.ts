/**
 * The price catalogue: Linode's published prices in one dated JSON file (`envc prices update` writes it from
 * the API; a snapshot ships with envc). Every price is keyed by what it prices, in the API's own ids:
 *
 *   linode/<type>                        a compute plan, per node per month (LKE worker nodes bill as Linodes)
 *   lke/<id>                             lke-sa (standard control plane), lke-ha (HA control plane), lke-e (enterprise)
 *   nodebalancer/nodebalancer            one NodeBalancer per month
 *   volume/volume                        Block Storage, per GB per month
 *   objectstorage/objectstorage          Object Storage base fee per month (the account's first bucket)
 *   database/<engine>/<type>/<nodes>     a managed database cluster of that size, per month
 *
 * A region listed under `regions` has its own price, which overrides the base price (Jakarta and São Paulo
 * cost more). Pure: parsing and lookups only; reading and writing the file is catalogue-file.ts.
 */

export const CATALOGUE_FORMAT = 'envc-prices/v1';
/** Older than this, commands warn that prices may have moved. */
export const STALE_AFTER_DAYS = 90;

export interface PricePoint {
  /** US dollars per month; null where the API gives none (overage rates). */
  monthly: number | null;
  hourly: number | null;
}

export interface PriceEntry extends PricePoint {
  label?: string;
  /** Region id → the price there, overriding the base price. */
  regions?: Record<string, PricePoint>;
}

export interface PriceCatalogue {
  format: typeof CATALOGUE_FORMAT;
  currency: 'USD';
  /** The day the prices were read (YYYY-MM-DD). */
  date: string;
  /** Where they came from, in words a reviewer can check. */
  source: string;
  prices: Record<string, PriceEntry>;
  /** Managed database engines the API offered (`postgresql/16`, …), for reference. */
  databaseEngines?: string[];
}

export const priceKey = {
  linode: (type: string) => `linode/${type}`,
  lke: (id: 'lke-sa' | 'lke-ha' | 'lke-e') => `lke/${id}`,
  nodebalancer: 'nodebalancer/nodebalancer',
  volume: 'volume/volume',
  objectStorage: 'objectstorage/objectstorage',
  database: (engine: string, type: string, nodes: number) => `database/${engine}/${type}/${nodes}`,
} as const;

export interface Price {
  monthly: number;
  /** True when a region price overrode the base price. */
  regional: boolean;
}

/** The monthly price of `key` in `region`; undefined when the catalogue does not know it. */
export function monthlyPrice(cat: PriceCatalogue, key: string, region?: string): Price | undefined {
  const entry = Object.hasOwn(cat.prices, key) ? cat.prices[key] : undefined;
  if (!entry) return undefined;
  const regional =
    region && entry.regions && Object.hasOwn(entry.regions, region) ? entry.regions[region] : undefined;
  if (regional && typeof regional.monthly === 'number') return { monthly: regional.monthly, regional: true };
  return typeof entry.monthly === 'number' ? { monthly: entry.monthly, regional: false } : undefined;
}

/** Whole days between the catalogue's date and `today` (both YYYY-MM-DD). */
export function catalogueAgeDays(cat: Pick<PriceCatalogue, 'date'>, today: string): number {
  const ms = Date.parse(`${today}T00:00:00Z`) - Date.parse(`${cat.date}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.floor(ms / 86_400_000) : Number.POSITIVE_INFINITY;
}

/** A warning line when the catalogue is older than STALE_AFTER_DAYS, else undefined. */
export function stalenessWarning(cat: PriceCatalogue, today: string, where: string): string | undefined {
  const age = catalogueAgeDays(cat, today);
  if (age <= STALE_AFTER_DAYS) return undefined;
  return `warning: the price catalogue ${where} is ${Number.isFinite(age) ? `${age} days` : 'of unknown age'} old (from ${cat.date}); prices may have changed — run \`envc prices update\``;
}

const isPoint = (v: unknown): v is PricePoint =>
  !!v &&
  typeof v === 'object' &&
  ['monthly', 'hourly'].every((k) => {
    const x = (v as Record<string, unknown>)[k];
    return x === null || (typeof x === 'number' && Number.isFinite(x) && x >= 0);
  });

/** Checks a parsed JSON value is a catalogue; the message names the first thing wrong. */
export function parseCatalogue(data: unknown): { catalogue: PriceCatalogue } | { error: string } {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { error: 'not a JSON object' };
  const c = data as Record<string, unknown>;
  if (c.format !== CATALOGUE_FORMAT)
    return { error: `format is ${JSON.stringify(c.format)}, expected ${JSON.stringify(CATALOGUE_FORMAT)}` };
  if (c.currency !== 'USD') return { error: `currency is ${JSON.stringify(c.currency)}; envc prices in USD` };
  if (typeof c.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.date))
    return { error: '`date` must be YYYY-MM-DD' };
  if (typeof c.source !== 'string' || c.source === '')
    return { error: '`source` must say where the prices came from' };
  if (!c.prices || typeof c.prices !== 'object') return { error: '`prices` must be an object' };
  for (const [key, entry] of Object.entries(c.prices as Record<string, unknown>)) {
    if (!isPoint(entry))
      return { error: `prices[${JSON.stringify(key)}] needs numeric (or null) monthly and hourly` };
    const regions = (entry as PriceEntry).regions;
    if (regions !== undefined) {
      for (const [r, p] of Object.entries(regions)) {
        if (!isPoint(p))
          return { error: `prices[${JSON.stringify(key)}].regions[${JSON.stringify(r)}] is not a price` };
      }
    }
  }
  return { catalogue: data as PriceCatalogue };
}
