import { parseDocument, stringify } from 'yaml';

/**
 * The mutation campaign's generators: seeded (mulberry32), so a case is reproducible from (seed, index).
 * Structural mutations change the shape of the file (keys, types, sizes, encodings, YAML features); envc may
 * compile or refuse them, but must never crash, hang or refuse without a location. Semantic mutations make
 * the spec wrong in a way the receiving service would reject; compiling one is a wrong accept.
 */

export type Expect = 'refuse' | 'any';

export interface FuzzCase {
  index: number;
  op: string;
  kind: 'structural' | 'semantic';
  expect: Expect;
  bytes: Uint8Array;
}

export type Rng = () => number;

/** mulberry32: small, fast, and good enough to spread mutations; the same seed gives the same cases. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

type Path = Array<string | number>;
type Json = unknown;

/** Every path in the data, with its value. */
function paths(data: Json, prefix: Path = [], out: Array<[Path, Json]> = []): Array<[Path, Json]> {
  out.push([prefix, data]);
  if (Array.isArray(data)) {
    for (const [i, v] of data.entries()) paths(v, [...prefix, i], out);
  } else if (data && typeof data === 'object')
    for (const [k, v] of Object.entries(data)) paths(v, [...prefix, k], out);
  return out;
}

function parentOf(data: Json, path: Path): Record<string | number, Json> {
  let cur = data as Record<string | number, Json>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, Json>;
  return cur;
}

function set(data: Json, path: Path, value: Json): void {
  parentOf(data, path)[path[path.length - 1]!] = value;
}

/** Paths whose last key (or, for list items, the list's key) matches. */
function where(data: Json, test: (key: string, value: Json) => boolean): Path[] {
  return paths(data)
    .filter(([p, v]) => {
      const last = p[p.length - 1];
      const key = typeof last === 'number' ? String(p[p.length - 2]) : String(last);
      return p.length > 0 && test(key, v);
    })
    .map(([p]) => p);
}

type DataOp = (data: Record<string, Json>, r: Rng) => boolean;

/** Semantic mutations: each yields a spec a real service would reject (or that must not be accepted). */
const SEMANTIC: Record<string, DataOp> = {
  'cidr-invalid-v4': (d, r) =>
    setAt(
      d,
      r,
      (k, v) => typeof v === 'string' && /^(ipv4|cidrs|allowList)$/.test(k),
      pick(r, ['300.1.2.3/24', '10.0.0.0/33', '10.0.0/8', 'x']),
    ),
  'cidr-invalid-v6': (d, r) =>
    setAt(
      d,
      r,
      (k, v) => typeof v === 'string' && k === 'ipv6',
      pick(r, ['12345::/64', '2001:db8:::1/64', '::g/0', '2001:db8::/129']),
    ),
  'port-out-of-range': (d, r) =>
    setAt(
      d,
      r,
      (k, v) => k === 'ports' && typeof v === 'string',
      pick(r, ['0', '70000', '80,65536', '99999']),
    ),
  'port-range-reversed': (d, r) =>
    setAt(d, r, (k, v) => k === 'ports' && typeof v === 'string', pick(r, ['90-80', '32767-30000'])),
  'egress-port-out-of-range': (d, r) =>
    setAt(d, r, (k, v) => k === 'ports' && typeof v === 'number', pick(r, [0, 65536, -1])),
  'cron-invalid': (d, r) =>
    setSchedule(
      d,
      r,
      pick(r, [
        '* * 32 * *',
        '0 9 31 2 *',
        '99 * * * *',
        '* 24 * * *',
        '* * * 13 *',
        '* * * * 8',
        '*/0 * * * *',
      ]),
    ),
  'timezone-invalid': (d, r) => {
    d.schedules = {
      ...((d.schedules as object) ?? {}),
      timezone: pick(r, ['Mars/Olympus', 'CEST+2', 'Europe/Berlinn', 'utc/+1']),
    };
    return true;
  },
  'duration-invalid': (d, r) =>
    setAt(
      d,
      r,
      (k) => /^(maxDuration|rotateEvery|gracePeriod|expiresAfter|retention)$/.test(k),
      pick(r, ['0h', '-1d', '1y', '10', '']),
    ),
  'date-impossible': (d, r) => {
    d.waivers = [
      { rule: 'ENVC2001', reason: 'fuzz', expires: pick(r, ['2027-02-30', '2027-13-01', '2027-04-31']) },
    ];
    return true;
  },
  'waiver-expired': (d) => {
    d.waivers = [
      { rule: 'ENVC2001', path: 'environments.development', reason: 'fuzz', expires: '2020-01-01' },
    ];
    return true;
  },
  'dangling-environment': (d, r) =>
    setAt(
      d,
      r,
      (k, v) => k === 'environments' && typeof v === 'string',
      pick(r, ['prod', 'stagin', 'nowhere']),
    ),
  'dangling-secret': (d, r) =>
    setAt(
      d,
      r,
      (k, v, p) => k === 'secrets' && typeof v === 'string' && p[0] === 'services',
      'no-such-secret',
    ),
  'dangling-used-by': (d, r) =>
    setAt(d, r, (k, v) => k === 'usedBy' && typeof v === 'string', 'no-such-service'),
  'duplicate-name': (d, r) => {
    const lists = [d.services, d.secrets, d.accessPolicies].filter(
      (l): l is Json[] => Array.isArray(l) && l.length > 0,
    );
    const envs = Object.values(
      d.environments as Record<
        string,
        { network?: { egressAllowlist?: Json[] }; cluster?: { pools?: Json[] } }
      >,
    );
    for (const e of envs) {
      if (e.network?.egressAllowlist?.length) lists.push(e.network.egressAllowlist);
      if (e.cluster?.pools?.length) lists.push(e.cluster.pools);
    }
    const l = pick(r, lists);
    l.push(structuredClone(pick(r, l)));
    return true;
  },
  'hpa-min-above-max': (d, r) =>
    mutateEach(
      d,
      r,
      (k, v) => k === 'autoscaling' && isObj(v),
      (v) => {
        for (const h of Object.values(v as Record<string, { min: number; max: number }>))
          [h.min, h.max] = [h.max + 1, h.max];
      },
    ),
  'pool-autoscaler-min-above-max': (d, r) =>
    mutateEach(
      d,
      r,
      (k, v) => k === 'autoscaler' && isObj(v),
      (v) => {
        const a = v as { min: number; max: number };
        [a.min, a.max] = [a.max + 2, a.max];
      },
    ),
  'requests-above-limits': (d, r) =>
    mutateEach(
      d,
      r,
      (k, v) => k === 'requests' && isObj(v),
      (v) => {
        (v as { cpu: string }).cpu = '64';
      },
    ),
  'reserved-namespace': (d, r) =>
    setAt(
      d,
      r,
      (k, _v, p) => k === 'owner' && p[0] === 'services',
      pick(r, ['kube-public', 'kube-system', 'sealed-secrets', 'monitoring', 'default', 'argocd']),
    ),
  'bucket-invalid': (d, r) => {
    (d.stateBackend as Record<string, Json>).bucket = pick(r, [
      'ab',
      'acme..tfstate',
      'a'.repeat(64),
      'acme--state',
      'acme.-state',
    ]);
    return true;
  },
  'ingress-host-invalid': (d, r) =>
    setAt(
      d,
      r,
      (k, v, p) => (k === 'host' || p.includes('hosts')) && typeof v === 'string',
      pick(r, [
        'web..{env}.acme.example',
        '-web.acme.example',
        `${'x'.repeat(64)}.acme.example`,
        'web.acme.example.',
      ]),
    ),
  'dns-target-invalid': (d, r) => {
    const envs = Object.values(d.environments as Record<string, { network: { dns: { records?: Json[] } } }>);
    const e = pick(r, envs);
    e.network.dns.records = [
      ...(e.network.dns.records ?? []),
      pick(r, [
        { name: 'x', type: 'A', target: 'lb.example.net' },
        { name: 'x', type: 'AAAA', target: '203.0.113.10' },
        { name: 'x', type: 'CNAME', target: 'bad..host' },
      ]),
    ];
    return true;
  },
  'taint-or-label-invalid': (d, r) => {
    const pools = where(d, (k, v) => k === 'pools' && isObj(v));
    if (pools.length === 0) return false;
    const pool = get(d, pick(r, pools)) as Record<string, Json>;
    if (r() < 0.5)
      pool.labels = { ...((pool.labels as object) ?? {}), tier: pick(r, ['-x', 'a b', 'x'.repeat(64)]) };
    else
      pool.taints = [
        {
          key: pick(r, ['a..b/c', 'dedicated']),
          value: pick(r, ['yes please', '-', 'x'.repeat(64)]),
          effect: 'NoSchedule',
        },
      ];
    return true;
  },
  'quota-does-not-fit': (d, r) =>
    mutateEach(
      d,
      r,
      (k, v) => k === 'quotas' && isObj(v),
      (v) => {
        (v as { services: number }).services = 100_000;
      },
    ),
};

const isObj = (v: Json) => !!v && typeof v === 'object' && !Array.isArray(v);

function get(data: Json, path: Path): Json {
  let cur = data as Record<string | number, Json>;
  for (const seg of path) cur = cur[seg] as Record<string | number, Json>;
  return cur;
}

function setAt(
  d: Json,
  r: Rng,
  test: (key: string, value: Json, path: Path) => boolean,
  value: Json,
): boolean {
  const candidates = paths(d)
    .filter(([p, v]) => {
      const last = p[p.length - 1];
      const key = typeof last === 'number' ? String(p[p.length - 2]) : String(last);
      return p.length > 0 && test(key, v, p);
    })
    .map(([p]) => p);
  if (candidates.length === 0) return false;
  set(d, pick(r, candidates), value);
  return true;
}

function mutateEach(
  d: Json,
  r: Rng,
  test: (key: string, value: Json) => boolean,
  f: (v: Json) => void,
): boolean {
  const candidates = where(d, test);
  if (candidates.length === 0) return false;
  f(get(d, pick(r, candidates)));
  return true;
}

function setSchedule(d: Record<string, Json>, r: Rng, cron: string): boolean {
  d.schedules = {
    ...((d.schedules as object) ?? {}),
    [pick(r, ['drift', 'rotation', 'accessExpiry', 'probe'])]: cron,
  };
  return true;
}

const EXTREME_NUMBERS = [0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, 65536, 1e-9];
const WEIRD_STRINGS = [
  '',
  ' ',
  'a'.repeat(10_000),
  'tab\there',
  'nul\u0000byte',
  'bell\u0007',
  'é✓🚀',
  '{env}',
  '../../etc/passwd',
  '${jndi:x}',
  '\u202e',
];

/** Structural mutations on the data: envc may compile or refuse, never crash, hang or refuse unlocated. */
const STRUCTURAL_DATA: Record<string, DataOp> = {
  'delete-key': (d, r) => {
    const ps = paths(d).filter(([p]) => p.length > 0 && typeof p[p.length - 1] === 'string');
    const [p] = pick(r, ps);
    delete parentOf(d, p)[p[p.length - 1]!];
    return true;
  },
  'rename-key': (d, r) => {
    const ps = paths(d).filter(([p]) => p.length > 0 && typeof p[p.length - 1] === 'string');
    const [p, v] = pick(r, ps);
    const parent = parentOf(d, p);
    const k = String(p[p.length - 1]);
    delete parent[k];
    parent[pick(r, [`${k}s`, k.slice(1), k.toUpperCase(), `x-${k}`, `${k.slice(0, -1)}`])] = v;
    return true;
  },
  'swap-type': (d, r) => {
    const [p] = pick(
      r,
      paths(d).filter(([p]) => p.length > 0),
    );
    set(d, p, pick(r, [null, 42, 'text', true, [], {}, ['a'], { a: 1 }]));
    return true;
  },
  'extreme-number': (d, r) => {
    const ps = paths(d).filter(([p, v]) => p.length > 0 && typeof v === 'number');
    if (ps.length === 0) return false;
    set(d, pick(r, ps)[0], pick(r, EXTREME_NUMBERS));
    return true;
  },
  'weird-string': (d, r) => {
    const ps = paths(d).filter(([p, v]) => p.length > 0 && typeof v === 'string');
    set(d, pick(r, ps)[0], pick(r, WEIRD_STRINGS));
    return true;
  },
  'duplicate-list-item': (d, r) => {
    const ps = paths(d).filter(([, v]) => Array.isArray(v) && v.length > 0);
    const l = get(d, pick(r, ps)[0]) as Json[];
    l.push(structuredClone(pick(r, l)));
    return true;
  },
  'many-keys': (d, r) => {
    const ps = paths(d).filter(([, v]) => isObj(v));
    const o = get(d, pick(r, ps)[0]) as Record<string, Json>;
    const n = pick(r, [50, 500, 3000]);
    for (let i = 0; i < n; i++) o[`k${i}`] = i;
    return true;
  },
  'many-services': (d, r) => {
    const svcs = d.services as Json[] | undefined;
    if (!svcs?.length) return false;
    const n = pick(r, [40, 299, 301, 2000]);
    const proto = svcs[0] as Record<string, Json>;
    for (let i = 0; i < n; i++) svcs.push({ ...structuredClone(proto), name: `fz-${i}` });
    return true;
  },
};

/** Text-level mutations (YAML features and encodings the data model cannot express). */
const STRUCTURAL_TEXT: Record<string, { expect: Expect; f: (text: string, r: Rng) => string | Uint8Array }> =
  {
    bom: { expect: 'any', f: (t) => `\ufeff${t}` },
    crlf: { expect: 'any', f: (t) => t.replace(/\n/g, '\r\n') },
    'tab-indent': {
      expect: 'any',
      f: (t, r) =>
        replaceLine(t, r, (l) => l.replace(/^( +)/, (m) => '\t'.repeat(Math.max(1, m.length / 2)))),
    },
    'duplicate-line': { expect: 'any', f: (t, r) => replaceLine(t, r, (l) => `${l}\n${l}`) },
    'delete-line': { expect: 'any', f: (t, r) => replaceLine(t, r, () => '') },
    truncate: { expect: 'any', f: (t, r) => t.slice(0, Math.floor(r() * t.length)) },
    'deep-nesting': {
      expect: 'any',
      f: (t, r) => {
        const n = pick(r, [10, 63, 65, 200, 5000]);
        return `${t}\nx: ${'['.repeat(n)}${']'.repeat(n)}\n`;
      },
    },
    'deep-block-nesting': {
      expect: 'any',
      f: (t, r) => {
        const n = pick(r, [30, 70]);
        let s = `${t}\nx:\n`;
        for (let i = 0; i < n; i++) s += `${'  '.repeat(i + 1)}k:\n`;
        return `${s}${'  '.repeat(n + 1)}v\n`;
      },
    },
    'alias-bomb': {
      expect: 'any',
      f: (t, r) => {
        const n = pick(r, [5, 99, 101, 1000]);
        return `${t}\nx: &a [1, 2]\ny: [${Array.from({ length: n }, () => '*a').join(', ')}]\n`;
      },
    },
    'anchor-merge': {
      expect: 'any',
      f: (t) =>
        t
          .replace(/^( {2}[a-z]+):\n( {4}tier:)/m, '$1: &envbase\n$2')
          .replace(/^environments:\n/m, 'environments:\n  copy:\n    <<: *envbase\n'),
    },
    'control-chars': {
      expect: 'any',
      f: (t, r) => {
        const i = Math.floor(r() * t.length);
        return `${t.slice(0, i)}${pick(r, ['\u0000', '\u0007', '\u001b[31m', '\u0085', '\u2028'])}${t.slice(i)}`;
      },
    },
    'invalid-utf8': {
      expect: 'refuse',
      f: (t, r) => {
        const b = Buffer.from(t, 'utf8');
        const i = Math.floor(r() * b.length);
        return Buffer.concat([
          b.subarray(0, i),
          Buffer.from(pick(r, [[0xff], [0xc3], [0xe9, 0x20], [0xed, 0xa0, 0x80], [0xc0, 0xaf]])),
          b.subarray(i),
        ]);
      },
    },
    'huge-file': { expect: 'refuse', f: (t) => `${t}\n# ${'x'.repeat(5 * 1024 * 1024)}\n` },
    'empty-file': {
      expect: 'refuse',
      f: (_t, r) => pick(r, ['', '\n\n', '# only a comment\n', '---\n', '~\n']),
    },
    'non-mapping-top': {
      expect: 'refuse',
      f: (t, r) =>
        pick(r, [`# spec\n---\n- ${t.split('\n')[0]}\n`, '"just a string"\n', '42\n', `\n\n[1, 2]\n`]),
    },
  };

function replaceLine(t: string, r: Rng, f: (line: string) => string): string {
  const lines = t.split('\n');
  const i = Math.floor(r() * lines.length);
  lines[i] = f(lines[i]!);
  return lines.join('\n');
}

export const OPERATORS: ReadonlyArray<{ op: string; kind: FuzzCase['kind'] }> = [
  ...Object.keys(SEMANTIC).map((op) => ({ op, kind: 'semantic' as const })),
  ...Object.keys(STRUCTURAL_DATA).map((op) => ({ op, kind: 'structural' as const })),
  ...Object.keys(STRUCTURAL_TEXT).map((op) => ({ op, kind: 'structural' as const })),
];

/**
 * Case `index` of the campaign with `seed`: the operator cycles through OPERATORS (every class is generated
 * in any run of at least OPERATORS.length cases), its randomness comes from (seed, index).
 */
let parsedBase: { text: string; data: Json } | undefined;

export function makeCase(seed: number, index: number, baseText: string): FuzzCase {
  const r = rng((seed * 2654435761 + index * 40503) >>> 0);
  const { op, kind } = OPERATORS[index % OPERATORS.length]!;
  const enc = (s: string | Uint8Array) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
  const text = STRUCTURAL_TEXT[op];
  if (text) return { index, op, kind, expect: text.expect, bytes: enc(text.f(baseText, r)) };
  if (parsedBase?.text !== baseText) parsedBase = { text: baseText, data: parseDocument(baseText).toJS() };
  const data = structuredClone(parsedBase.data) as Record<string, Json>;
  const f = SEMANTIC[op] ?? STRUCTURAL_DATA[op]!;
  const applied = f(data, r);
  const expect: Expect = kind === 'semantic' && applied ? 'refuse' : 'any';
  return { index, op, kind, expect, bytes: enc(stringify(data, { lineWidth: 0 })) };
}
