/**
 * `envc verify` and `envc traffic` across layers, run as a user runs them (the built CLI) on a spec whose one
 * edit brings back a finding: exit codes, JSON, SARIF and the located text diagnostic.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envc, STACK_LINE } from '../support/cli.js';
import { SPEC } from '../support/platform-facts.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'envc-verify-'));
  // The system cluster's egress range deleted (one line): the ACLs then admit only the office and CI, so
  // ArgoCD and the bot, which leave the system cluster from that range, are shut out (finding 4).
  const start = SPEC.indexOf('\n  system:');
  const system = SPEC.slice(start).replace(/\n\s+nodeEgress: \[[^\]]*\]/, '');
  expect(system).not.toBe(SPEC.slice(start));
  writeFileSync(join(dir, 'environments.yaml'), SPEC.slice(0, start) + system);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const aclLine = () => {
  const lines = SPEC.split('\n');
  const p = lines.indexOf('  production:');
  return lines.findIndex((l, i) => i > p && l.includes('controlPlaneAcl:')) + 1;
};

describe('envc verify', () => {
  it('--help documents the command', () => {
    const r = envc(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('envc verify [FILE]');
    expect(r.stdout).toContain('--order');
  });

  it('reports a needed flow the ACL blocks at the spec line, naming the layer (text, exit 1)', () => {
    const r = envc(['verify'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).toMatch(
      /error\[ENVC2601\]: needed flow blocked at the control-plane-acl layer: ArgoCD \(in system\) → production's API server/,
    );
    expect(r.stderr).toContain(`environments.yaml:${aclLine()}:`);
    expect(r.stderr).toContain('docs/rules/ENVC2601.md');
  });

  it('--json carries the diagnostics, the bring-up steps and (with --flows) every flow per layer', () => {
    const r = envc(['verify', '--json', '--flows'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      diagnostics: Array<{ code: string; line: number; message: string }>;
      bringUp: Array<{ step: number; kind: string; environment?: string }>;
      flows: Array<{
        title: string;
        ok: boolean;
        layers: Array<{ layer: string; allowed: boolean; decidedBy: string }>;
      }>;
    };
    expect(out.ok).toBe(false);
    expect(out.diagnostics.some((d) => d.code === 'ENVC2601' && d.line === aclLine())).toBe(true);
    expect(out.bringUp.find((s) => s.kind !== 'bootstrap')?.environment).toBe('system');
    const argo = out.flows.find((f) => f.title === "ArgoCD (in system) → production's API server")!;
    expect(argo.ok).toBe(false);
    expect(argo.layers[0]).toMatchObject({
      layer: 'control-plane-acl',
      allowed: false,
      decidedBy: 'production:acl',
    });
  });

  it('--format sarif gives a SARIF log with the platform rules', () => {
    const r = envc(['verify', '--format', 'sarif'], { cwd: dir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.runs[0]!.results.some((x) => x.ruleId === 'ENVC2601')).toBe(true);
  });

  it('--order prints the bring-up steps of every environment', () => {
    const r = envc(['verify', '--order'], { cwd: dir });
    for (const env of ['system', 'development', 'staging', 'production'])
      expect(r.stdout).toContain(`[argocd-sync] ArgoCD syncs generated/kubernetes/${env}`);
  });
});

describe('envc traffic across layers', () => {
  it('"can ArgoCD reach production\'s API?" names the ACL as the deciding layer', () => {
    const r = envc(['traffic', '--question', "can ArgoCD reach production's API?"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^deny system\/argocd -> production\/api-server/m);
    expect(r.stdout).toContain('decided by: control-plane-acl production:acl');
  });

  it('--json answers "why can\'t sample-service reach postgres?" with every layer of every environment', () => {
    const r = envc(['traffic', '-q', "why can't sample-service reach postgres?", '--json'], { cwd: dir });
    const out = JSON.parse(r.stdout) as {
      flows: Array<{ environment: string; to: string; layers: Array<{ layer: string }> }>;
    };
    expect(new Set(out.flows.map((f) => f.environment))).toEqual(
      new Set(['development', 'staging', 'production']),
    );
    for (const f of out.flows) {
      expect(f.to).toBe(`${f.environment}/postgres`);
      expect(f.layers.map((l) => l.layer)).toEqual([
        'network-policy',
        'cloud-firewall',
        'database-allow-list',
      ]);
    }
  });

  it('a pod-to-pod question still goes to the NetworkPolicy evaluator', () => {
    const r = envc(
      [
        'traffic',
        '--from',
        'production/ingress-nginx',
        '--to',
        'production/sample-service',
        '--spec',
        'environments.yaml',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^allow production\/ingress-nginx/);
  });

  it('a question it cannot parse is a usage error', () => {
    const r = envc(['traffic', '-q', 'hello there'], { cwd: dir });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('can <from> reach <to>?');
  });
});
