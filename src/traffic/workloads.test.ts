import { describe, expect, it } from 'vitest';
import { checkNeeds, needsFromAnnotations, parseNeedsFile } from './needs.js';
import { buildUniverse, NAMESPACE_NAME_LABEL } from './universe.js';
import { parseManifests, podTemplateOf } from './workloads.js';

const pod = (labels: Record<string, string>, port = 8080) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: port }] }] },
});

describe('manifests of any team', () => {
  it('reads every workload kind through its pod template, List wrappers, multi-doc YAML and JSON', () => {
    const yaml = `
apiVersion: v1
kind: List
items:
  - { kind: Deployment, metadata: { name: d }, spec: { template: ${JSON.stringify(pod({ app: 'd' }))} } }
  - { kind: DeploymentList, items: [{ kind: StatefulSet, metadata: { name: s }, spec: { template: ${JSON.stringify(pod({ app: 's' }))} } }] }
---
{ kind: CronJob, metadata: { name: c, namespace: jobs }, spec: { jobTemplate: { spec: { template: ${JSON.stringify(pod({ app: 'c' }))} } } } }
`;
    const objects = [
      ...parseManifests('a.yaml', yaml),
      ...parseManifests(
        'b.json',
        JSON.stringify([
          { kind: 'Pod', metadata: { name: 'p', namespace: 'x', labels: { app: 'p' } }, spec: pod({}).spec },
          { kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: pod({ app: 'ds' }) } },
          { kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { template: pod({ app: 'rs' }) } },
          { kind: 'Job', metadata: { name: 'j' }, spec: { template: pod({ app: 'j' }) } },
          { kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: pod({ app: 'rc' }) } },
          { kind: 'ConfigMap', metadata: { name: 'cm' } },
        ]),
      ),
    ];
    expect(objects.filter((o) => podTemplateOf(o)).map((o) => o.kind)).toEqual([
      'Deployment',
      'StatefulSet',
      'CronJob',
      'Pod',
      'DaemonSet',
      'ReplicaSet',
      'Job',
      'ReplicationController',
    ]);
    const u = buildUniverse(objects.map((object) => ({ env: 'e', object })));
    expect(u.pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(
      [
        'default/d',
        'default/s',
        'jobs/c',
        'x/p',
        'default/ds',
        'default/rs',
        'default/j',
        'default/rc',
      ].sort(),
    );
    // Namespaces exist once used, labelled with their own name as the API server does.
    expect(u.namespaces.get('e/jobs')?.labels).toEqual({ [NAMESPACE_NAME_LABEL]: 'jobs' });
    expect(u.podCidrs.get('e')).toBe('10.2.0.0/16');
  });

  it('a syntax error names the file and line', () => {
    expect(() => parseManifests('bad.yaml', 'kind: Pod\n  x: [\n')).toThrow(/bad\.yaml:\d+: YAML error/);
    expect(() => parseManifests('bad.json', '{"kind": ')).toThrow(/bad\.json: not valid JSON/);
  });

  it('checks declared needs and names the policy that denies one (named ports per pod)', () => {
    const deny = {
      kind: 'NetworkPolicy',
      metadata: { name: 'api-ingress', namespace: 'team-a' },
      spec: {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }],
      },
    };
    const objects = [
      {
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'team-a', annotations: { 'envc.io/needs': 'api:8080' } },
        spec: { template: pod({ app: 'web' }) },
      },
      {
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'team-a' },
        spec: { template: pod({ app: 'api' }) },
      },
      {
        kind: 'Deployment',
        metadata: { name: 'batch', namespace: 'team-a' },
        spec: { template: pod({ app: 'batch' }) },
      },
      deny,
    ];
    const u = buildUniverse(objects.map((object) => ({ env: 'staging', object })));
    const needs = [
      ...needsFromAnnotations(objects),
      ...(parseNeedsFile('needs.yaml', 'needs:\n  - { from: team-a/batch, to: "api:8080" }\n') as never[]),
    ];
    const results = checkNeeds(u, 'staging', needs);
    expect(results.map((r) => [r.need.from, r.allowed, r.decidedBy])).toEqual([
      ['team-a/web', true, 'staging/team-a/api-ingress'],
      ['team-a/batch', false, 'staging/team-a/api-ingress'],
    ]);
    expect(parseNeedsFile('n.yaml', 'needs: [{ from: a }]')).toEqual({
      error: 'n.yaml: needs[0] must have string `from` and `to`',
    });
  });
});
