/**
 * Reads Linode's price lists through @linode/api-v4 and turns them into envc's catalogue: compute plans
 * (`getLinodeTypes`), LKE control planes (`getKubernetesTypes`: lke-sa, lke-ha, lke-e), managed database plans
 * per engine and cluster size (`getDatabaseTypes`) and engines (`getDatabaseEngines`), NodeBalancers
 * (`getNodeBalancerTypes`), Object Storage (`getObjectStorageTypes`) and Block Storage (`getVolumeTypes`).
 * Every list is paged (`page`, `pages`, `results`, `data`); all pages are read. These endpoints are public:
 * a token is sent only when one is configured.
 */
import {
  CATALOGUE_FORMAT,
  type PriceCatalogue,
  type PriceEntry,
  type PricePoint,
  priceKey,
} from '../cost/catalogue.js';
import { configureLinodeRequests, toLinodeError } from './linode.js';

interface Paged<T> {
  data: T[];
  page: number;
  pages: number;
  results: number;
}

interface ApiPriceType {
  id: string;
  label?: string;
  price: PricePoint;
  region_prices?: Array<PricePoint & { id: string }>;
}

interface ApiDatabaseType {
  id: string;
  label?: string;
  deprecated?: boolean;
  engines: Record<string, Array<{ quantity: number; price: PricePoint }>>;
}

const PAGE_SIZE = 500;

async function allPages<T>(what: string, page: (p: number) => Promise<Paged<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let p = 1; ; p++) {
    let res: Paged<T>;
    try {
      res = await page(p);
    } catch (err) {
      throw toLinodeError(`reading ${what}`, err);
    }
    if (!res || !Array.isArray(res.data) || typeof res.pages !== 'number')
      throw toLinodeError(
        `reading ${what}`,
        new Error('the answer is not a page ({data, page, pages, results})'),
      );
    out.push(...res.data);
    if (p >= res.pages) return out;
  }
}

const point = (p: PricePoint | undefined): PricePoint => ({
  monthly: typeof p?.monthly === 'number' ? p.monthly : null,
  hourly: typeof p?.hourly === 'number' ? p.hourly : null,
});

function entry(t: ApiPriceType): PriceEntry {
  const regions = Object.fromEntries(
    (t.region_prices ?? []).filter((r) => typeof r?.id === 'string').map((r) => [r.id, point(r)]),
  );
  return {
    ...(t.label ? { label: t.label } : {}),
    ...point(t.price),
    ...(Object.keys(regions).length ? { regions } : {}),
  };
}

export interface FetchPricesOptions {
  token?: string;
  apiUrl?: string;
  /** The day to stamp on the catalogue (YYYY-MM-DD). */
  today: string;
}

export async function fetchPriceCatalogue(o: FetchPricesOptions): Promise<PriceCatalogue> {
  const api = await configureLinodeRequests({
    ...(o.token ? { token: o.token } : {}),
    ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}),
  });
  const params = (page: number) => ({ page, page_size: PAGE_SIZE });
  const [linodes, lke, nodebalancers, objectStorage, volumes, databases, engines] = await Promise.all([
    allPages(
      'compute plans (/linode/types)',
      (p) => api.getLinodeTypes(params(p)) as unknown as Promise<Paged<ApiPriceType>>,
    ),
    allPages(
      'LKE types (/lke/types)',
      (p) => api.getKubernetesTypes(params(p)) as unknown as Promise<Paged<ApiPriceType>>,
    ),
    allPages(
      'NodeBalancer types (/nodebalancers/types)',
      (p) => api.getNodeBalancerTypes(params(p)) as unknown as Promise<Paged<ApiPriceType>>,
    ),
    allPages(
      'Object Storage types (/object-storage/types)',
      (p) => api.getObjectStorageTypes(params(p)) as unknown as Promise<Paged<ApiPriceType>>,
    ),
    allPages(
      'volume types (/volumes/types)',
      (p) => api.getVolumeTypes(params(p)) as unknown as Promise<Paged<ApiPriceType>>,
    ),
    allPages(
      'database types (/databases/types)',
      (p) => api.getDatabaseTypes(params(p)) as unknown as Promise<Paged<ApiDatabaseType>>,
    ),
    allPages(
      'database engines (/databases/engines)',
      (p) => api.getDatabaseEngines(params(p)) as unknown as Promise<Paged<{ id: string }>>,
    ),
  ]);
  const prices: Record<string, PriceEntry> = {};
  for (const t of linodes) prices[priceKey.linode(t.id)] = entry(t);
  for (const t of lke) prices[`lke/${t.id}`] = entry(t);
  for (const t of nodebalancers) prices[`nodebalancer/${t.id}`] = entry(t);
  for (const t of objectStorage) prices[`objectstorage/${t.id}`] = entry(t);
  for (const t of volumes) prices[`volume/${t.id}`] = entry(t);
  for (const t of databases) {
    for (const [engine, sizes] of Object.entries(t.engines ?? {})) {
      for (const s of sizes ?? []) {
        if (typeof s?.quantity !== 'number') continue;
        prices[priceKey.database(engine, t.id, s.quantity)] = point(s.price);
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(prices).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const root = o.apiUrl ?? 'https://api.linode.com';
  return {
    format: CATALOGUE_FORMAT,
    currency: 'USD',
    date: o.today,
    source: `Linode API ${root} (v4 and v4beta price lists via @linode/api-v4), read on ${o.today}`,
    prices: sorted,
    databaseEngines: engines.map((e) => e.id).sort(),
  };
}
