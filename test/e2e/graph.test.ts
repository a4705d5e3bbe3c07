import dotparser from 'dotparser';
import { describe, expect, it } from 'vitest';
import { envc } from '../support/cli.js';
import { parseMermaidFlowchart } from '../support/mermaid.js';
import { DEFAULT_SPEC_PATH, defaultModel } from '../support/model.js';

describe('envc graph (default spec)', () => {
  it('prints Mermaid that Mermaid’s own parser accepts, listing every environment and service', async () => {
    const r = envc(['graph', DEFAULT_SPEC_PATH]);
    expect(r.code).toBe(0);
    const parsed = await parseMermaidFlowchart(r.stdout);
    expect(parsed.diagramType).toBe('flowchart-v2');
    const model = await defaultModel();
    for (const env of model.environments) {
      const sub = parsed.subgraphs.find((s) => s.id === `env__${env.name}`);
      expect(sub, env.name).toBeDefined();
      expect(sub!.title).toContain(env.name);
      for (const svc of env.services) {
        const id = `${env.name}__svc__${svc.name.replaceAll('-', '_')}`;
        expect(parsed.vertices.get(id), id).toContain(svc.name);
        if (svc.ingress) expect(parsed.vertices.get(id)).toContain(svc.ingress.host);
      }
      for (const secret of env.secrets)
        expect(parsed.vertices.has(`${env.name}__secret__${secret.name.replaceAll('-', '_')}`)).toBe(true);
      for (const ns of env.namespaces.filter((n) => n.kind === 'app')) {
        expect(
          parsed.subgraphs.some(
            (s) => s.title === `namespace ${ns.name}` && s.id.startsWith(`${env.name}__`),
          ),
        ).toBe(true);
      }
    }
    for (const p of model.accessPolicies)
      expect(parsed.vertices.get(`policy__${p.name.replaceAll('-', '_')}`)).toContain(p.name);
    expect(parsed.edges.length).toBeGreaterThan(10);
  });

  it('--format dot prints a graph a DOT parser accepts', () => {
    const r = envc(['graph', DEFAULT_SPEC_PATH, '--format', 'dot']);
    expect(r.code).toBe(0);
    const ast = dotparser(r.stdout);
    expect(ast[0]!.type).toBe('digraph');
    expect(r.stdout).toContain('subgraph "cluster_env__production"');
  });

  it('an unknown format is a usage error; an invalid spec exits 1 with its diagnostics', () => {
    expect(envc(['graph', DEFAULT_SPEC_PATH, '--format', 'png']).code).toBe(64);
    const missing = envc(['graph', 'does-not-exist.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ENVC0008');
  });
});
