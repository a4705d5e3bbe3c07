/**
 * Drift with the real terraform binary: infrastructure and state changed behind envc's back, then config,
 * then generated/ — one incident updated throughout, resolved when everything is back in line.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from './apply.js';
import type { CompileCheck, RunnerDeps } from './context.js';
import { driftEnv, driftFingerprint } from './drift.js';
import { planEnv } from './plan.js';
import { type Harness, harness, terraformSkipReason } from './test-harness.js';

const skip = terraformSkipReason();

function externalState(endpoint: string, serial: number): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage: 'external-system',
    outputs: { endpoint: { value: endpoint, type: 'string' } },
    resources: [],
    check_results: null,
  });
}

describe('drift fingerprint', () => {
  it('ignores order but not content', () => {
    const a = driftFingerprint({
      infrastructure: ['b (update)', 'a (update)'],
      unapplied: [],
      staleFiles: [],
    });
    expect(
      driftFingerprint({ infrastructure: ['a (update)', 'b (update)'], unapplied: [], staleFiles: [] }),
    ).toBe(a);
    expect(
      driftFingerprint({ infrastructure: ['a (update)'], unapplied: ['b (update)'], staleFiles: [] }),
    ).not.toBe(a);
    expect(
      driftFingerprint({ infrastructure: ['a (update)', 'b (delete)'], unapplied: [], staleFiles: [] }),
    ).not.toBe(a);
  });
});

describe.skipIf(skip)('drift on a fixture stack', () => {
  let h: Harness;
  let deps: RunnerDeps;
  let stale: string[] = [];
  const stack = () => join(h.stacksDir, 'development');

  beforeAll(async () => {
    h = await harness(['development']);
    // An "upstream system" whose state terraform reads: changing it is infrastructure changing outside this stack.
    mkdirSync(join(h.root, 'external'));
    writeFileSync(join(h.root, 'external', 'terraform.tfstate'), externalState('one.example', 1));
    writeFileSync(
      join(stack(), 'upstream.tf'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JavaScript template
      'data "terraform_remote_state" "upstream" {\n  backend = "local"\n  config = { path = "${path.module}/../../external/terraform.tfstate" }\n}\n\noutput "upstream_endpoint" {\n  value = data.terraform_remote_state.upstream.outputs.endpoint\n}\n',
    );
    const compileCheck = async (): Promise<CompileCheck> => ({ staleFiles: stale });
    deps = h.deps('envc-bot', { compileCheck });
    expect((await planEnv(deps, 'development')).status).toBe('ok');
    expect((await applyEnv(deps, 'development')).status).toBe('ok');
  });
  afterAll(async () => h?.close());

  it('a freshly applied stack has no drift and no incident', async () => {
    const r = await driftEnv(deps, 'development');
    expect(r).toMatchObject({
      status: 'ok',
      value: { drifted: false, infrastructure: [], unapplied: [], staleFiles: [] },
    });
    expect(await h.store.listIncidents({ env: 'development' })).toEqual([]);
  });

  it('finds infrastructure and state changed behind its back, then config and generated/, updating one incident', async () => {
    // Outside terraform: the upstream endpoint moves, and someone drops a resource from the state file.
    writeFileSync(join(h.root, 'external', 'terraform.tfstate'), externalState('two.example', 2));
    const statePath = join(stack(), 'terraform.tfstate');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    state.resources = state.resources.filter((r: { name: string }) => r.name !== 'firewall');
    state.serial += 1;
    writeFileSync(statePath, JSON.stringify(state));

    const first = await driftEnv(deps, 'development');
    if (first.status !== 'ok') throw new Error(JSON.stringify(first));
    expect(first.value.drifted).toBe(true);
    expect(first.value.infrastructure).toEqual(['output.upstream_endpoint (update)']);
    expect(first.value.unapplied).toEqual([
      'output.upstream_endpoint (update)',
      'terraform_data.firewall (create)',
    ]);
    expect(first.value.incident).toMatchObject({ isNew: true, changed: false, occurrences: 1 });
    const id = first.value.incident!.id;

    // The same drift again: same incident, nothing new.
    const second = await driftEnv(deps, 'development');
    expect(second).toMatchObject({
      status: 'ok',
      value: { incident: { id, isNew: false, changed: false, occurrences: 2 } },
    });

    // Config changed behind envc's back: the incident changes, it is not a second one.
    const main = join(stack(), 'main.tf');
    writeFileSync(main, readFileSync(main, 'utf8').replace('default = 3', 'default = 5'));
    stale = ['kubernetes/development/namespaces.yaml'];
    const third = await driftEnv(deps, 'development');
    if (third.status !== 'ok') throw new Error(JSON.stringify(third));
    expect(third.value.unapplied).toContain('terraform_data.cluster (update)');
    expect(third.value.staleFiles).toEqual(['kubernetes/development/namespaces.yaml']);
    expect(third.value.incident).toMatchObject({ id, isNew: false, changed: true, occurrences: 3 });

    expect((await h.store.listIncidents({ env: 'development' })).map((i) => i.id)).toEqual([id]);
    const found = h.events.filter((e) => e.type === 'drift-found');
    expect(found.map((e) => (e.type === 'drift-found' ? [e.incidentId, e.isNew, e.changed] : []))).toEqual([
      [id, true, false],
      [id, false, false],
      [id, false, true],
    ]);
  });

  it('resolves the incident once the environment is back in line', async () => {
    const open = await h.store.getOpenIncident('development');
    expect(open).toBeDefined();
    stale = [];
    expect((await planEnv(deps, 'development')).status).toBe('ok');
    expect((await applyEnv(deps, 'development')).status).toBe('ok');
    const r = await driftEnv(deps, 'development');
    expect(r).toMatchObject({ status: 'ok', value: { drifted: false, resolvedIncidentId: open!.id } });
    expect((await h.store.getIncident(open!.id))?.status).toBe('resolved');
    expect(h.events.at(-1)).toMatchObject({
      type: 'drift-resolved',
      incidentId: open!.id,
      env: 'development',
    });
  });
});
