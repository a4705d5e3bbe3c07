/**
 * Price lists for the local Linode API (linode-api.ts), in the shapes the API documents: `/linode/types`
 * (Type: id, label, class, price, region_prices, addons, …), `/lke/types`, `/nodebalancers/types`,
 * `/object-storage/types` and `/volumes/types` (PriceType: id, label, price, region_prices, transfer), and
 * `/databases/types` (id, label, class, engines: {mysql|postgresql: [{quantity, price}]}) and
 * `/databases/engines`. These endpoints need no token. Lists are paged by the server like every list.
 */
type Json = Record<string, unknown>;

export interface PriceLists {
  linodeTypes: Json[];
  lkeTypes: Json[];
  nodeBalancerTypes: Json[];
  objectStorageTypes: Json[];
  volumeTypes: Json[];
  databaseTypes: Json[];
  databaseEngines: Json[];
}

const p = (monthly: number | null, hourly: number | null) => ({ monthly, hourly });
const priceType = (
  id: string,
  label: string,
  price: { monthly: number | null; hourly: number | null },
  region_prices: Json[] = [],
) => ({
  id,
  label,
  price,
  region_prices,
  transfer: 0,
});

export function linodeType(
  id: string,
  monthly: number,
  regions: Record<string, number> = {},
  extra: Json = {},
): Json {
  return {
    id,
    label: id,
    class: id.includes('dedicated') ? 'dedicated' : id.includes('gpu') ? 'gpu' : 'standard',
    disk: 81920,
    memory: 4096,
    vcpus: 2,
    gpus: id.includes('gpu') ? 1 : 0,
    transfer: 4000,
    network_out: 4000,
    accelerated_devices: 0,
    successor: null,
    price: p(monthly, Math.round((monthly / 730) * 1000) / 1000),
    region_prices: Object.entries(regions).map(([rid, m]) => ({
      id: rid,
      ...p(m, Math.round((m / 730) * 1000) / 1000),
    })),
    addons: { backups: { price: p(2.5, 0.004), region_prices: [] } },
    ...extra,
  };
}

/** A small, documented-shape price list (figures as in the fixture catalogue). */
export function defaultPriceLists(): PriceLists {
  return {
    linodeTypes: [
      linodeType('g6-standard-4', 48, { 'br-gru': 67.2, 'id-cgk': 57.6 }),
      linodeType('g6-dedicated-8', 144, { 'br-gru': 201.6 }),
      linodeType('g2-gpu-rtx4000a1-s', 350),
    ],
    lkeTypes: [
      priceType('lke-sa', 'LKE Standard Availability', p(0, 0)),
      priceType('lke-ha', 'LKE High Availability', p(60, 0.09), [
        { id: 'id-cgk', ...p(72, 0.108) },
        { id: 'br-gru', ...p(84, 0.126) },
      ]),
      priceType('lke-e', 'LKE Enterprise', p(300, 0.45)),
    ],
    nodeBalancerTypes: [
      priceType('nodebalancer', 'NodeBalancer', p(10, 0.015), [{ id: 'br-gru', ...p(14, 0.021) }]),
    ],
    objectStorageTypes: [
      priceType('objectstorage', 'Object Storage', p(5, 0.0075)),
      priceType('objectstorage-overage', 'Object Storage Overage', p(null, 0.02)),
    ],
    volumeTypes: [priceType('volume', 'Volume', p(0.1, 0.00015), [{ id: 'br-gru', ...p(0.14, 0.00021) }])],
    databaseTypes: [
      {
        id: 'g6-dedicated-4',
        label: 'Dedicated 8 GB',
        class: 'dedicated',
        deprecated: false,
        disk: 163840,
        memory: 8192,
        vcpus: 4,
        engines: {
          mysql: [
            { quantity: 1, price: p(136, 0.204) },
            { quantity: 3, price: p(408, 0.612) },
          ],
          postgresql: [
            { quantity: 1, price: p(136, 0.204) },
            { quantity: 3, price: p(408, 0.612) },
          ],
        },
      },
    ],
    databaseEngines: [
      { id: 'mysql/8', engine: 'mysql', version: '8' },
      { id: 'postgresql/16', engine: 'postgresql', version: '16' },
    ],
  };
}

/** The list a price path serves, or undefined when the path is not a price list. */
export function priceList(lists: PriceLists, path: string): Json[] | undefined {
  switch (path) {
    case '/linode/types':
      return lists.linodeTypes;
    case '/lke/types':
      return lists.lkeTypes;
    case '/nodebalancers/types':
      return lists.nodeBalancerTypes;
    case '/object-storage/types':
      return lists.objectStorageTypes;
    case '/volumes/types':
      return lists.volumeTypes;
    case '/databases/types':
      return lists.databaseTypes;
    case '/databases/engines':
      return lists.databaseEngines;
    default:
      return undefined;
  }
}
