import dotparser from 'dotparser';
import { describe, expect, it } from 'vitest';
import { parseMermaidFlowchart } from '../../test/support/mermaid.js';
import { defaultModel } from '../../test/support/model.js';
import { allNodes, buildGraph, environmentModules, type PlatformGraph } from './build.js';
import { renderDot } from './dot.js';
import { escapeMermaid, renderMermaid } from './mermaid.js';

describe('buildGraph (default spec)', async () => {
  const model = await defaultModel();
  const graph = buildGraph(model);

  it('has one cluster per environment with its modules, namespaces and services', () => {
    expect(graph.clusters.map((c) => c.id)).toEqual(model.environments.map((e) => `env__${e.name}`));
    const prod = graph.clusters.find((c) => c.id === 'env__production')!;
    expect(prod.nodes.filter((n) => n.kind === 'module').map((n) => n.id)).toEqual(
      environmentModules(model.environments.find((e) => e.name === 'production')!, model).map(
        (m) => `production__mod__${m.replaceAll('-', '_')}`,
      ),
    );
    expect(prod.nodes.filter((n) => n.kind === 'module').map((n) => n.label[0]!.split(':')[0])).toEqual([
      'lke-cluster',
      'network',
      'data-services',
      'ingress',
      'secrets-bootstrap',
      'observability',
      'app-data',
    ]);
    const system = graph.clusters.find((c) => c.id === 'env__system')!;
    // The state bucket has its own bootstrap root (ADR 0008), not a module of any environment.
    expect(system.nodes.filter((n) => n.kind === 'module').map((n) => n.id)).not.toContain(
      'system__mod__state_backend',
    );
    expect(prod.clusters.map((c) => c.label)).toEqual(['namespace team-a']);
    expect(prod.clusters[0]!.nodes[0]!.label).toEqual([
      'sample-service',
      'sample.acme.example',
      '3-10 replica(s)',
    ]);
  });

  it('links secrets to the services that use them and policies to the clusters they open', () => {
    expect(graph.edges).toContainEqual({
      from: 'production__secret__app_db',
      to: 'production__svc__sample_service',
      style: 'dotted',
    });
    expect(graph.edges).toContainEqual({
      from: 'policy__break_glass',
      to: 'system__mod__lke_cluster',
      style: 'dotted',
      label: 'admin',
    });
    expect(graph.edges).toContainEqual({
      from: 'staging__svc__sample_service',
      to: 'staging__data__postgres',
      style: 'solid',
    });
  });

  it('every edge ends at a node that exists, and ids are unique', () => {
    const ids = allNodes(graph).map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of graph.edges) {
      expect(ids, `${e.from} -> ${e.to}`).toContain(e.from);
      expect(ids, `${e.from} -> ${e.to}`).toContain(e.to);
    }
  });
});

describe('Mermaid rendering', () => {
  it('escapes what would end a quoted label', () => {
    expect(escapeMermaid('a "b" <c> | #d')).toBe('a #quot;b#quot; #lt;c#gt; #124; #35;d');
  });

  it('a hostile label still parses and keeps its text', async () => {
    const graph: PlatformGraph = {
      title: 't',
      clusters: [
        {
          id: 'env__x',
          label: 'x "end" ] }',
          kind: 'environment',
          clusters: [],
          nodes: [{ id: 'x__a', label: ['a"]; click x call alert()', 'end'], shape: 'box', kind: 'module' }],
        },
      ],
      nodes: [{ id: 'p', label: ['p|q'], shape: 'hexagon', kind: 'policy' }],
      edges: [{ from: 'p', to: 'x__a', label: 'r"|s', style: 'dotted' }],
    };
    const parsed = await parseMermaidFlowchart(renderMermaid(graph));
    expect([...parsed.vertices.keys()].sort()).toEqual(['p', 'x__a']);
    expect(parsed.edges).toHaveLength(1);
    expect(parsed.subgraphs.map((s) => s.id)).toEqual(['env__x']);
  });

  it('the parser test is not vacuous: a broken diagram is rejected', async () => {
    await expect(parseMermaidFlowchart('flowchart LR\n  a["x" --> b\n')).rejects.toThrow(/Parse error/);
  });
});

describe('DOT rendering', () => {
  it('parses with a DOT parser and names every node of the graph', async () => {
    const model = await defaultModel();
    const graph = buildGraph(model);
    const ast = dotparser(renderDot(graph));
    expect(ast).toHaveLength(1);
    expect(ast[0]!.type).toBe('digraph');
    const text = JSON.stringify(ast);
    for (const n of allNodes(graph)) expect(text).toContain(`"id":"${n.id}"`);
    expect(text).toContain('"id":"cluster_env__production"');
  });

  it('escapes quotes and backslashes in labels', () => {
    const dot = renderDot({
      title: 'a"b\\c',
      clusters: [],
      nodes: [{ id: 'n', label: ['x"y'], shape: 'box', kind: 'policy' }],
      edges: [],
    });
    expect(dot).toContain('label="a\\"b\\\\c";');
    const stmt = dotparser(dot)[0]!.children.find((c) => c.type === 'node_stmt') as {
      attr_list: Array<{ id: string; eq: string }>;
    };
    expect(stmt.attr_list.find((a) => a.id === 'label')?.eq).toBe('x"y');
  });
});

describe('environmentModules agrees with the Terraform emitter', () => {
  it('lists exactly the modules each generated stack instantiates', async () => {
    const { terraformEmitter } = await import('../compiler/emitters/terraform/index.js');
    const model = await defaultModel();
    const { files } = await terraformEmitter.emit(model, { envcVersion: '0.0.0-test' });
    for (const env of model.environments) {
      const main = ['cluster', 'platform']
        .map(
          (root) =>
            files.find((f) => f.path === `terraform/environments/${env.name}/${root}/main.tf`)!.content,
        )
        .join('\n');
      const used = [...main.matchAll(/source\s*=\s*"(?:\.\.\/)+modules\/([a-z-]+)"/g)].map((m) =>
        m[1]!.replace(/-protected$/, ''),
      );
      expect([...new Set(used)].sort(), env.name).toEqual([...environmentModules(env, model)].sort());
    }
  });
});
