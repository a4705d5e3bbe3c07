/**
 * Quota arithmetic end to end (issue 4): development is sized for 30 services. With sample-service and 29
 * copies of it (same requests and limits) in development, `envc compile` succeeds and every service fits the
 * team's ResourceQuota as emitted; with 30 copies (31 services) it refuses with ENVC2024 at the 31st service's
 * line and column — located here from the text itself, not taken from envc.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseCpu, parseMemory } from '../../src/compiler/quantities.js';
import { envc } from '../support/cli.js';
import { defaultSpecText } from '../support/model.js';

const work = mkdtempSync(join(tmpdir(), 'envc-quota-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const copyName = (i: number) => `sample-service-${String(i).padStart(2, '0')}`;

/** The default spec plus `copies` copies of sample-service (its requests, limits and replicas) in development. */
function specWith(copies: number): string {
  const text = defaultSpecText();
  const block = (i: number) =>
    [
      `  - name: ${copyName(i)}`,
      '    owner: team-a',
      '    image: ghcr.io/acme/sample-service:1.4.2',
      '    port: 8080',
      '    health: /healthz',
      '    metrics: { port: 9090, path: /metrics }',
      '    resources:',
      '      requests: { cpu: 100m, memory: 256Mi }',
      '      limits: { cpu: 500m, memory: 512Mi }',
      '    replicas: { default: 1, staging: 2, production: 3 }',
      '    environments: [development]',
      '',
    ].join('\n');
  const extra = Array.from({ length: copies }, (_, i) => block(i + 1)).join('');
  const at = text.indexOf('\naccessPolicies:');
  expect(at).toBeGreaterThan(0);
  return `${text.slice(0, at + 1)}${extra}${text.slice(at + 1)}`;
}

/** 1-based line and column where `marker` starts. */
function locate(text: string, marker: string): { line: number; column: number } {
  const i = text.indexOf(marker);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}

function project(name: string, text: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'environments.yaml'), text);
  return dir;
}

describe('quota arithmetic: 30 services fit, 31 do not', () => {
  it('30 services (sample-service and 29 copies) in development compile, and fit the emitted ResourceQuota', () => {
    const dir = project('thirty', specWith(29));
    const r = envc(['compile'], { cwd: dir });
    expect(r.stderr).not.toMatch(/ENVC2024/);
    expect(r.code, r.stderr).toBe(0);

    // Sum what the emitted Deployments ask for in team-a against the emitted quota: the compiler's "fits" is
    // the API server's "fits".
    const docs = (p: string) =>
      parseAllDocuments(readFileSync(join(dir, 'generated', 'kubernetes', 'development', p), 'utf8')).map(
        (d) => d.toJS() as Record<string, never>,
      );
    const quota = docs('namespaces.yaml').find(
      (o: { kind?: string; metadata?: { namespace?: string } }) =>
        o.kind === 'ResourceQuota' && o.metadata?.namespace === 'team-a',
    ) as unknown as { spec: { hard: Record<string, string> } };
    const names = ['sample-service', ...Array.from({ length: 29 }, (_, i) => copyName(i + 1))];
    const used = { requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0 };
    for (const name of names) {
      const [d] = docs(`services/${name}/deployment.yaml`) as unknown as Array<{
        spec: {
          replicas: number;
          template: {
            spec: {
              containers: Array<{
                resources: { requests: Record<string, string>; limits: Record<string, string> };
              }>;
            };
          };
        };
      }>;
      const c = d!.spec.template.spec.containers[0]!.resources;
      const n = d!.spec.replicas;
      used.requestsCpu += n * parseCpu(c.requests.cpu!)!;
      used.requestsMemory += n * parseMemory(c.requests.memory!)!;
      used.limitsCpu += n * parseCpu(c.limits.cpu!)!;
      used.limitsMemory += n * parseMemory(c.limits.memory!)!;
      used.pods += n;
    }
    const hard = quota.spec.hard;
    expect(used.requestsCpu).toBeLessThanOrEqual(parseCpu(hard['requests.cpu']!)!);
    expect(used.requestsMemory).toBeLessThanOrEqual(parseMemory(hard['requests.memory']!)!);
    // Limits are what runs out first here: 30 × 500m is the whole 15-core quota.
    expect(used.limitsCpu).toBe(parseCpu(hard['limits.cpu']!)!);
    expect(used.limitsMemory).toBeLessThanOrEqual(parseMemory(hard['limits.memory']!)!);
    expect(used.pods).toBeLessThanOrEqual(Number(hard.pods));
  });

  it('31 services fail with ENVC2024 at the 31st service, and nothing is written', () => {
    const text = specWith(30);
    const dir = project('thirty-one', text);
    const r = envc(['compile', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as {
      diagnostics: Array<{ code: string; severity: string; line: number; column: number; message: string }>;
    };
    const at = locate(text, `name: ${copyName(30)}\n`);
    expect(body.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([
      ['ENVC2024', 'error', at.line, at.column],
    ]);
    expect(body.diagnostics[0]!.message).toContain(
      `service "${copyName(30)}" does not fit the quota of namespace "team-a" in "development": with it, 31 services (sized for 30 by quotas.services)`,
    );
    expect(() => readFileSync(join(dir, 'generated', 'manifest.json'))).toThrow();
  });
});
