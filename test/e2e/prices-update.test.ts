import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { parseCatalogue } from '../../src/cost/catalogue.js';
import { type FakeLinode, startFakeLinode } from '../support/linode-api.js';
import { defaultPriceLists, linodeType } from '../support/linode-prices.js';

let fake: FakeLinode | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const dirWithSpec = () => {
  const dir = mkdtempSync(join(tmpdir(), 'envc-prices-'));
  writeFileSync(
    join(dir, 'environments.yaml'),
    readFileSync(new URL('../../environments.yaml', import.meta.url)),
  );
  return dir;
};

describe('envc prices update against the local Linode API', () => {
  it('reads every page of every price list and writes a dated catalogue beside the spec', async () => {
    const lists = defaultPriceLists();
    // More plans than one page holds (page_size is at most 500): the client must follow `pages`.
    for (let i = 0; i < 620; i++) lists.linodeTypes.push(linodeType(`g9-synthetic-${i}`, 100 + i));
    fake = await startFakeLinode({ prices: lists });
    const dir = dirWithSpec();
    const r = await execute(['prices', 'update'], {
      cwd: dir,
      env: { LINODE_API_URL: fake.url, NO_COLOR: '1' },
    });
    expect(r.stderr ?? '').toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^wrote envc-prices\.json: \d+ prices of \d{4}-\d{2}-\d{2}\n$/);

    const typeRequests = fake.requests.filter((q) => q.path === '/v4/linode/types');
    expect(typeRequests.map((q) => [q.query.page, q.query.page_size, q.status])).toEqual([
      ['1', '500', 200],
      ['2', '500', 200],
    ]);
    // No token configured: none sent (the price lists are public).
    expect(fake.requests.every((q) => q.headers.authorization === undefined)).toBe(true);
    // LKE and database types live under v4beta in @linode/api-v4.
    expect(fake.requests.map((q) => q.path)).toEqual(
      expect.arrayContaining(['/v4beta/lke/types', '/v4beta/databases/types']),
    );

    const parsed = parseCatalogue(JSON.parse(readFileSync(join(dir, 'envc-prices.json'), 'utf8')));
    if (!('catalogue' in parsed)) throw new Error(parsed.error);
    const c = parsed.catalogue;
    expect(c.source).toContain(fake.url);
    expect(c.prices['linode/g9-synthetic-619']?.monthly).toBe(719);
    expect(c.prices['linode/g6-standard-4']?.regions?.['br-gru']?.monthly).toBe(67.2);
    expect(c.prices['lke/lke-ha']).toMatchObject({
      monthly: 60,
      regions: { 'br-gru': { monthly: 84, hourly: 0.126 } },
    });
    expect(c.prices['lke/lke-e']?.monthly).toBe(300);
    expect(c.prices['database/postgresql/g6-dedicated-4/3']?.monthly).toBe(408);
    expect(c.prices['nodebalancer/nodebalancer']?.monthly).toBe(10);
    expect(c.prices['volume/volume']?.monthly).toBe(0.1);
    expect(c.prices['objectstorage/objectstorage-overage']).toEqual({
      label: 'Object Storage Overage',
      monthly: null,
      hourly: 0.02,
    });
    expect(c.databaseEngines).toEqual(['mysql/8', 'postgresql/16']);

    // `envc cost` now prices with the new file (its source is named in the output).
    const cost = await execute(['cost', '--json', '--env', 'production'], {
      cwd: dir,
      env: { NO_COLOR: '1' },
    });
    const json = JSON.parse(cost.stdout ?? '{}');
    expect(json.catalogue.where).toBe('envc-prices.json');
    expect(json.environments[0].items.find((i: { kind: string }) => i.kind === 'node-pool').unitMonthly).toBe(
      144,
    );
  });

  it('sends the token when one is set, and writes nothing when the API fails', async () => {
    fake = await startFakeLinode();
    const dir = dirWithSpec();
    fake.fail({ path: '/volumes/types', status: 503, reason: 'Service Unavailable', times: 1 });
    const r = await execute(['prices', 'update', '--out', 'p.json'], {
      cwd: dir,
      env: { LINODE_API_URL: fake.url, LINODE_TOKEN: fake.token, NO_COLOR: '1' },
    });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(
      /reading volume types \(\/volumes\/types\): the Linode API answered 503: Service Unavailable; the catalogue was not changed/,
    );
    expect(() => readFileSync(join(dir, 'p.json'))).toThrow();
    expect(fake.requests.some((q) => q.headers.authorization === `Bearer ${fake?.token}`)).toBe(true);
    expect(r.stderr).not.toContain(fake.token);
  });
});
