/**
 * One-field edits of environments.yaml change only the lines they should in generated/terraform: the edit is
 * made on the text of the shipped file (as a person would), the tree is emitted again and compared line by
 * line with the tree of the unedited file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { terraformEmitter } from '../../src/compiler/emitters/terraform/index.js';
import { defaultSpecText, modelFromText } from '../support/model.js';

type Tree = Map<string, string>;

async function emitText(text: string): Promise<Tree> {
  const r = await terraformEmitter.emit(await modelFromText(text), { envcVersion: 'test' });
  expect(r.diagnostics).toEqual([]);
  return new Map(r.files.map((f) => [f.path, f.content]));
}

/** Lines removed from `a` and added in `b` (longest common subsequence). */
function diffLines(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const dp: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      dp[i]![j] = x[i] === y[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      i++;
      j++;
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) removed.push(x[i++]!);
    else added.push(y[j++]!);
  }
  removed.push(...x.slice(i));
  added.push(...y.slice(j));
  return { removed, added };
}

interface Change {
  removed: string[];
  added: string[];
}

function changes(before: Tree, after: Tree): Map<string, Change> {
  const out = new Map<string, Change>();
  for (const p of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(p) ?? '';
    const b = after.get(p) ?? '';
    if (a !== b) out.set(p, diffLines(a, b));
  }
  return out;
}

/** Replaces exactly one occurrence of `from` (after `anchor`, when given) in the spec text. */
function edit(text: string, from: string, to: string, anchor?: string): string {
  const start = anchor ? text.indexOf(anchor) : 0;
  expect(start, `anchor ${anchor}`).toBeGreaterThanOrEqual(0);
  const at = text.indexOf(from, start);
  expect(at, `"${from}" after "${anchor}"`).toBeGreaterThan(-1);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

let base: string;
let before: Tree;

beforeAll(async () => {
  base = defaultSpecText();
  before = await emitText(base);
});

describe('one-field edits of environments.yaml', () => {
  it('raising production’s general pool autoscaler max changes one line of production’s tfvars', async () => {
    const after = await emitText(
      edit(base, 'autoscaler: { min: 4, max: 10 }', 'autoscaler: { min: 4, max: 12 }', '  production:'),
    );
    const c = changes(before, after);
    expect([...c.keys()]).toEqual(['terraform/environments/production/cluster/terraform.tfvars.json']);
    expect(c.get('terraform/environments/production/cluster/terraform.tfvars.json')).toEqual({
      removed: ['          "max": 10'],
      added: ['          "max": 12'],
    });
  });

  it('changing the port of a development firewall rule changes that rule’s ports line only', async () => {
    const after = await emitText(edit(base, 'ports: "22"', 'ports: "2222"', '  development:'));
    const c = changes(before, after);
    expect([...c.keys()]).toEqual(['terraform/environments/development/cluster/terraform.tfvars.json']);
    expect(c.get('terraform/environments/development/cluster/terraform.tfvars.json')).toEqual({
      removed: ['        "ports": "22",'],
      added: ['        "ports": "2222",'],
    });
  });

  it('upgrading staging’s PostgreSQL changes its engine_id and nothing else', async () => {
    const after = await emitText(
      edit(
        base,
        'postgres: { type: g6-standard-1, version: "16", nodes: 1 }',
        'postgres: { type: g6-standard-1, version: "17", nodes: 1 }',
        '  staging:',
      ),
    );
    const c = changes(before, after);
    expect([...c.keys()]).toEqual(['terraform/environments/staging/cluster/terraform.tfvars.json']);
    expect(c.get('terraform/environments/staging/cluster/terraform.tfvars.json')).toEqual({
      removed: ['    "engine_id": "postgresql/16",'],
      added: ['    "engine_id": "postgresql/17",'],
    });
  });

  it('renaming the state bucket changes exactly the lines that name it, in every stack', async () => {
    const after = await emitText(
      edit(base, 'bucket: acme-tfstate', 'bucket: acme-terraform-state', 'stateBackend:'),
    );
    const c = changes(before, after);
    const envs = ['development', 'production', 'staging', 'system'];
    // No root reads another's state any more: only the backends, the READMEs and the bootstrap root name it.
    const expected = [
      ...envs.flatMap((e) => [
        `terraform/environments/${e}/cluster/backend.hcl`,
        `terraform/environments/${e}/platform/backend.hcl`,
        `terraform/environments/${e}/README.md`,
      ]),
      'terraform/bootstrap/backend.hcl',
      'terraform/bootstrap/README.md',
      'terraform/bootstrap/terraform.tfvars.json',
    ].sort();
    expect([...c.keys()].sort()).toEqual(expected);
    for (const [path, ch] of c) {
      expect(ch.removed.length, path).toBe(ch.added.length);
      expect(ch.removed.length, path).toBeGreaterThan(0);
      for (const l of ch.removed) expect(l, path).toContain('acme-tfstate');
      for (const l of ch.added) expect(l, path).toContain('acme-terraform-state');
      expect(
        ch.added.map((l) => l.replaceAll('acme-terraform-state', 'acme-tfstate')),
        path,
      ).toEqual(ch.removed);
    }
  });

  it('protecting staging switches its cluster and database to the protected module variants', async () => {
    const after = await emitText(
      edit(
        base,
        '    approvals:\n      required: true\n      approvers: ["@platform-leads", "@platform-oncall"]',
        '    protected: true\n    approvals:\n      required: true\n      approvers: ["@platform-leads", "@platform-oncall"]',
        '  staging:',
      ),
    );
    const c = changes(before, after);
    expect([...c.keys()].sort()).toEqual([
      'terraform/environments/staging/README.md',
      'terraform/environments/staging/cluster/main.tf',
    ]);
    const main = c.get('terraform/environments/staging/cluster/main.tf')!;
    expect(main.removed).toEqual([
      '  source = "../../../modules/network"',
      '  source = "../../../modules/lke-cluster"',
      '  source = "../../../modules/data-services"',
    ]);
    expect(main.added).toEqual([
      '  # Protected environment: this variant of the module carries prevent_destroy (DNS zone and firewall).',
      '  source = "../../../modules/network-protected"',
      '  # Protected environment: this variant of the module carries prevent_destroy.',
      '  source = "../../../modules/lke-cluster-protected"',
      '  # Protected environment: this variant of the module carries prevent_destroy.',
      '  source = "../../../modules/data-services-protected"',
    ]);
    // Resource addresses do not move: only the module source changes, so nothing is replaced.
    expect(after.get('terraform/environments/staging/cluster/main.tf')).toContain('module "cluster" {');
  });

  it('adding a node pool changes the cluster root only', async () => {
    const after = await emitText(
      edit(
        base,
        'count: 1\n          autoscaler: { min: 1, max: 4 }',
        'count: 1\n          autoscaler: { min: 1, max: 6 }',
        '  development:',
      ),
    );
    const c = changes(before, after);
    expect([...c.keys()].sort()).toEqual([
      'terraform/environments/development/cluster/terraform.tfvars.json',
    ]);
  });
});
