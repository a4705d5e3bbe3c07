import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/traffic/evaluate.js';
import { readManifests } from '../../src/traffic/source.js';
import { buildUniverse, type RawObject } from '../../src/traffic/universe.js';

/**
 * `envc traffic` on manifests the project did not write: np-guard/netpol-analyzer's test cases with their
 * expected connectivity lists (test/fixtures/netpol-analyzer, Apache-2.0, data only). For every ordered
 * pair of workloads and every container port of the destination, envc's verdict is compared with the
 * expected list ("src[Kind] => dst[Kind] : TCP 8080,UDP 53" or "All Connections"; an absent pair is denied).
 */

const DIR = fileURLToPath(new URL('../fixtures/netpol-analyzer', import.meta.url));
const CASES = readdirSync(join(DIR, 'expected'))
  .map((f) => f.replace(/\.txt$/, ''))
  .sort();

type Conns = 'all' | Array<{ protocol: string; from: number; to: number }>;

function parseConns(text: string): Conns {
  if (/^All Connections$/i.test(text.trim())) return 'all';
  const out: Array<{ protocol: string; from: number; to: number }> = [];
  let protocol = 'TCP';
  for (const part of text.split(',')) {
    const m = /^\s*(?:(TCP|UDP|SCTP)\s+)?(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) continue;
    protocol = m[1] ?? protocol;
    out.push({ protocol, from: Number(m[2]), to: Number(m[3] ?? m[2]) });
  }
  return out;
}

function expectedList(name: string): Map<string, Conns> {
  const out = new Map<string, Conns>();
  for (const line of readFileSync(join(DIR, 'expected', `${name}.txt`), 'utf8').split('\n')) {
    const m = /^(\S+)\[[A-Za-z]+\] => (\S+)\[[A-Za-z]+\] : (.+)$/.exec(line.trim());
    if (m) out.set(`${m[1]} => ${m[2]}`, parseConns(m[3]!));
  }
  return out;
}

/** Pods owned by a controller are named after their owner in the expected lists. */
function byOwner(objects: RawObject[]): RawObject[] {
  return objects.map((o) => {
    const owner = (o.metadata as { ownerReferences?: Array<{ name: string }> } | undefined)
      ?.ownerReferences?.[0];
    return o.kind === 'Pod' && owner ? { ...o, metadata: { ...o.metadata, name: owner.name } } : o;
  });
}

async function agreement(
  name: string,
): Promise<{ agree: number; total: number; allowed: number; mismatches: string[] }> {
  const read = await readManifests([join(DIR, 'cases', name)], async () => '');
  if ('error' in read) throw new Error(read.error);
  const u = buildUniverse(byOwner(read.objects).map((object) => ({ env: 'e', object })));
  const expected = expectedList(name);
  const pods = u.pods.filter((p) => p.kind === 'service');
  let agree = 0;
  let total = 0;
  let allowed = 0;
  const mismatches: string[] = [];
  for (const src of pods)
    for (const dst of pods) {
      if (src === dst) continue;
      const conns = expected.get(`${src.namespace}/${src.name} => ${dst.namespace}/${dst.name}`);
      for (const port of dst.ports) {
        const want =
          conns === 'all' ||
          (conns ?? []).some((c) => c.protocol === port.protocol && port.port >= c.from && port.port <= c.to);
        const got = evaluate(
          u,
          { kind: 'pod', pod: src },
          { kind: 'pod', pod: dst },
          port.port,
          port.protocol,
        ).allowed;
        total++;
        if (want) allowed++;
        if (want === got) agree++;
        else
          mismatches.push(
            `${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name} ${port.protocol}/${port.port}: expected ${want ? 'allow' : 'deny'}`,
          );
      }
    }
  return { agree, total, allowed, mismatches };
}

describe('envc traffic on public NetworkPolicy cases (np-guard/netpol-analyzer)', () => {
  it('agrees with the expected connectivity on at least 99% of the facts', async () => {
    let agree = 0;
    let total = 0;
    let allowed = 0;
    const perCase: string[] = [];
    for (const name of CASES) {
      const r = await agreement(name);
      agree += r.agree;
      total += r.total;
      allowed += r.allowed;
      if (r.mismatches.length > 0)
        perCase.push(`${name}: ${r.mismatches.length}/${r.total} differ, e.g. ${r.mismatches[0]}`);
    }
    const share = agree / total;
    console.log(
      `netpol-analyzer cases: ${CASES.length}, facts ${total} (${allowed} expected allowed), agree ${agree} (${(share * 100).toFixed(2)}%)\n${perCase.join('\n')}`,
    );
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(total).toBeGreaterThan(1000);
    // Both kinds of fact are present (the cases are not all allow-all).
    expect(allowed).toBeGreaterThan(total / 10);
    expect(allowed).toBeLessThan(total);
    expect(share).toBeGreaterThanOrEqual(0.99);
  }, 120_000);
});
