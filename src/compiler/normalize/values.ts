import { validate as validCron } from 'node-cron';
import type { NormalizeContext, Seg } from './context.js';
import { checkDuplicates } from './context.js';
import {
  bucketProblem,
  cidrProblem,
  hostProblem,
  labelValueProblem,
  portsProblem,
  qualifiedNamePrefixProblem,
  timeZoneProblem,
} from './syntax.js';

/**
 * Values the schema accepts by shape but the receiving service rejects or misreads (ENVC13xx): each is
 * reported at the value, before anything reaches generated/. Not waivable: these are not policies.
 */
export function checkValues(ctx: NormalizeContext): void {
  checkStorage(ctx);
  checkSchedules(ctx);
  for (const name of ctx.envNames) checkEnvironmentValues(ctx, name);
}

const bad = (ctx: NormalizeContext, code: string, at: Seg[], what: string, problem: string, hint: string) =>
  ctx.refError(code, at, `${what} ${problem}`, hint);

function checkStorage(ctx: NormalizeContext): void {
  const { spec } = ctx;
  const hint = 'Linode bucket names are 3–63 lowercase letters, digits, "." and "-", e.g. acme-tfstate';
  for (const key of ['bucket', 'backupBucket'] as const) {
    const v = spec.stateBackend[key];
    const p = v === undefined ? undefined : bucketProblem(v);
    if (p) bad(ctx, 'ENVC1305', ['stateBackend', key], `bucket name ${JSON.stringify(v)}`, p, hint);
  }
  (spec.secrets ?? []).forEach((s, i) => {
    if (!s.bucket) return;
    // `{env}` is expanded per environment; the longest expansion decides the length.
    const names = s.bucket.includes('{env}')
      ? ctx.envNames.map((e) => s.bucket!.replaceAll('{env}', e))
      : [s.bucket];
    for (const n of names) {
      const p = bucketProblem(n);
      if (p) {
        bad(ctx, 'ENVC1305', ['secrets', i, 'bucket'], `bucket name ${JSON.stringify(n)}`, p, hint);
        break;
      }
    }
  });
}

function checkSchedules(ctx: NormalizeContext): void {
  const s = ctx.spec.schedules;
  if (!s) return;
  if (s.timezone !== undefined) {
    const p = timeZoneProblem(s.timezone);
    if (p)
      bad(
        ctx,
        'ENVC1308',
        ['schedules', 'timezone'],
        `time zone ${JSON.stringify(s.timezone)}`,
        p,
        'for example "UTC", "Europe/Berlin", "America/New_York"',
      );
  }
  for (const key of ['drift', 'rotation', 'accessExpiry', 'probe'] as const) {
    const v = s[key];
    if (v !== undefined && !validCron(v))
      bad(
        ctx,
        'ENVC1307',
        ['schedules', key],
        `cron expression ${JSON.stringify(v)}`,
        'is not one the scheduler accepts (a field out of range, or a day that never comes)',
        'five fields: minute 0–59, hour 0–23, day of month 1–31, month 1–12, day of week 0–7; e.g. "0 */6 * * *"',
      );
  }
}

function checkEnvironmentValues(ctx: NormalizeContext, name: string): void {
  const env = ctx.spec.environments[name]!;
  const at: Seg[] = ['environments', name];
  const cidrs = (list: string[] | undefined, segs: Seg[], family: 4 | 6) =>
    (list ?? []).forEach((c, i) => {
      const p = cidrProblem(c, family);
      if (p)
        bad(
          ctx,
          'ENVC1301',
          [...segs, i],
          `CIDR ${JSON.stringify(c)}`,
          p,
          family === 4 ? 'e.g. 203.0.113.0/24' : 'e.g. 2001:db8::/32',
        );
    });
  const acl = env.cluster.controlPlaneAcl;
  cidrs(acl?.ipv4, [...at, 'cluster', 'controlPlaneAcl', 'ipv4'], 4);
  cidrs(acl?.ipv6, [...at, 'cluster', 'controlPlaneAcl', 'ipv6'], 6);
  const fw = env.network.firewall;
  for (const dir of ['inbound', 'outbound'] as const) {
    (fw?.[dir] ?? []).forEach((r, i) => {
      const segs: Seg[] = [...at, 'network', 'firewall', dir, i];
      cidrs(r.ipv4, [...segs, 'ipv4'], 4);
      cidrs(r.ipv6, [...segs, 'ipv6'], 6);
      const p = r.ports === undefined ? undefined : portsProblem(r.ports);
      if (p)
        bad(
          ctx,
          'ENVC1302',
          [...segs, 'ports'],
          `firewall ports ${JSON.stringify(r.ports)}`,
          p,
          'e.g. "443", "80,443" or "30000-32767"',
        );
    });
  }
  // Each entry becomes a NetworkPolicy named after it: two entries of one name would collide.
  checkDuplicates(
    ctx,
    (env.network.egressAllowlist ?? []).map((e) => e.name),
    [...at, 'network', 'egressAllowlist'],
    'egress allowlist entry',
  );
  checkDuplicates(
    ctx,
    env.cluster.pools.map((p) => p.name),
    [...at, 'cluster', 'pools'],
    'node pool',
  );
  (env.network.egressAllowlist ?? []).forEach((e, i) => {
    cidrs(e.cidrs, [...at, 'network', 'egressAllowlist', i, 'cidrs'], 4);
  });
  cidrs(env.dataServices?.postgres?.allowList, [...at, 'dataServices', 'postgres', 'allowList'], 4);
  if (env.network.vpc) {
    const p = cidrProblem(env.network.vpc.subnet, 4);
    if (p)
      bad(
        ctx,
        'ENVC1301',
        [...at, 'network', 'vpc', 'subnet'],
        `CIDR ${JSON.stringify(env.network.vpc.subnet)}`,
        p,
        'e.g. 10.0.0.0/24',
      );
  }
  (env.network.dns.records ?? []).forEach((r, i) => {
    const segs: Seg[] = [...at, 'network', 'dns', 'records', i, 'target'];
    const p =
      r.type === 'A'
        ? cidrProblem(`${r.target}/32`, 4) && 'is not an IPv4 address'
        : r.type === 'AAAA'
          ? cidrProblem(`${r.target}/128`, 6) && 'is not an IPv6 address'
          : r.type === 'CNAME' || r.type === 'NS' || r.type === 'MX'
            ? hostProblem(r.target.replace(/\.$/, ''), false)
            : undefined;
    if (p)
      bad(
        ctx,
        'ENVC1304',
        segs,
        `${r.type} record target ${JSON.stringify(r.target)}`,
        p,
        r.type === 'A'
          ? 'an A record points at an IPv4 address, e.g. 203.0.113.10'
          : r.type === 'AAAA'
            ? 'an AAAA record points at an IPv6 address, e.g. 2001:db8::10'
            : `a ${r.type} record points at a host name`,
      );
  });
  env.cluster.pools.forEach((pool, i) => {
    const segs: Seg[] = [...at, 'cluster', 'pools', i];
    for (const [k, v] of Object.entries(pool.labels ?? {})) {
      const p = labelValueProblem(v) ?? qualifiedNamePrefixProblem(k);
      if (p)
        bad(
          ctx,
          'ENVC1306',
          [...segs, 'labels', k],
          `node label ${JSON.stringify(k)}: ${JSON.stringify(v)}`,
          p,
          'Kubernetes label values: at most 63 letters, digits, "-", "_", "."',
        );
    }
    (pool.taints ?? []).forEach((t, j) => {
      const pv = labelValueProblem(t.value);
      if (pv)
        bad(
          ctx,
          'ENVC1306',
          [...segs, 'taints', j, 'value'],
          `taint value ${JSON.stringify(t.value)}`,
          pv,
          'taint values follow the label-value syntax, e.g. "true"',
        );
      const pk = qualifiedNamePrefixProblem(t.key);
      if (pk)
        bad(
          ctx,
          'ENVC1306',
          [...segs, 'taints', j, 'key'],
          `taint key ${JSON.stringify(t.key)}`,
          pk,
          'e.g. nvidia.com/gpu',
        );
    });
  });
}
