import { describe, expect, it } from 'vitest';
import { billableInObject, billableInValues, billedGb, storageGb } from './billable.js';
import { monthlyPrice, parseCatalogue } from './catalogue.js';

describe('billable resources in values and objects', () => {
  it('reads Kubernetes storage quantities as GB and bills at least 10 GB, rounded up', () => {
    expect(storageGb('120Gi')).toBe(120);
    expect(storageGb('1Ti')).toBe(1024);
    expect(storageGb('512Mi')).toBe(0.5);
    expect(storageGb('lots')).toBeUndefined();
    expect([billedGb(0.5), billedGb(10), billedGb(14.2)]).toEqual([10, 10, 15]);
  });

  it('finds claims with the replica count of the workload that owns them; disabled persistence is free', () => {
    const b = billableInValues({
      replica: { replicaCount: 3, persistence: { enabled: true, size: '8Gi' } },
      backend: { replicas: 0, persistence: { size: '50Gi' } },
      grafana: { persistence: { enabled: false, size: '10Gi' } },
    });
    expect(b.volumes.map((v) => [v.path, v.replicas, v.billedGb])).toEqual([
      ['replica.persistence', 3, 10],
      ['backend.persistence', 0, 50],
    ]);
  });

  it('counts LoadBalancer Services, not ClusterIP ones', () => {
    expect(
      billableInValues({
        controller: { service: { type: 'LoadBalancer' } },
        api: { service: { type: 'ClusterIP' } },
      }).loadBalancers,
    ).toEqual(['controller.service']);
    expect(
      billableInObject({ kind: 'Service', metadata: { name: 'edge' }, spec: { type: 'LoadBalancer' } })
        .loadBalancers,
    ).toEqual(['Service/edge']);
    expect(
      billableInObject({
        kind: 'Service',
        metadata: {
          name: 'edge',
          annotations: { 'service.beta.kubernetes.io/linode-loadbalancer-nodebalancer-id': '7' },
        },
        spec: { type: 'LoadBalancer' },
      }).loadBalancers,
    ).toEqual([]);
  });
});

describe('catalogue', () => {
  const base = { format: 'envc-prices/v1', currency: 'USD', date: '2026-12-02', source: 'test' };
  it('rejects what is not a catalogue, naming the first problem', () => {
    expect(parseCatalogue([])).toEqual({ error: 'not a JSON object' });
    expect(parseCatalogue({ ...base, format: 'x' })).toEqual({
      error: 'format is "x", expected "envc-prices/v1"',
    });
    expect(parseCatalogue({ ...base, date: '2 Dec' })).toEqual({ error: '`date` must be YYYY-MM-DD' });
    expect(parseCatalogue({ ...base, prices: { 'linode/x': { monthly: -1, hourly: 0 } } })).toEqual({
      error: 'prices["linode/x"] needs numeric (or null) monthly and hourly',
    });
  });
  it('a region price overrides the base price; an overage rate has no monthly price', () => {
    const r = parseCatalogue({
      ...base,
      prices: {
        'volume/volume': {
          monthly: 0.1,
          hourly: 0.00015,
          regions: { 'br-gru': { monthly: 0.14, hourly: 0.00021 } },
        },
        'objectstorage/objectstorage-overage': { monthly: null, hourly: 0.02 },
      },
    });
    if (!('catalogue' in r)) throw new Error(r.error);
    expect(monthlyPrice(r.catalogue, 'volume/volume', 'br-gru')).toEqual({ monthly: 0.14, regional: true });
    expect(monthlyPrice(r.catalogue, 'volume/volume', 'us-ord')).toEqual({ monthly: 0.1, regional: false });
    expect(monthlyPrice(r.catalogue, 'objectstorage/objectstorage-overage')).toBeUndefined();
    expect(monthlyPrice(r.catalogue, 'constructor')).toBeUndefined();
  });
});
