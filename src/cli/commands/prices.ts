import { dirname, isAbsolute, join, relative } from 'node:path';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';

export const command: CommandSpec = {
  name: 'prices',
  summary: 'update the price catalogue from the Linode API (envc prices update), or show it',
  usage: 'envc prices update [--out FILE] [--spec FILE]\n       envc prices show [--json]',
  description: `\`envc prices update\` reads Linode's public price lists (compute plans, LKE control planes, managed
databases, NodeBalancers, Object Storage, Block Storage; region prices included) through the Linode API
and writes them, dated, to envc-prices.json beside the spec (or --out FILE). Commit that file: \`envc cost\`,
\`envc plan\`, the budget rule and the approval messages then price with the same numbers everywhere.
LINODE_TOKEN is sent when set (the price lists do not need it); LINODE_API_URL replaces the API root.

\`envc prices show\` says which catalogue is in use, its date and source, and how many prices it holds.

Exit codes: 0 ok; 3 the Linode API could not be read (nothing is written); 64 usage.`,
  maxPositionals: 1,
  options: {
    out: {
      type: 'string',
      short: 'o',
      valueName: 'FILE',
      description: 'where to write (default: envc-prices.json beside the spec)',
    },
    spec: {
      type: 'string',
      valueName: 'FILE',
      description: 'the spec the catalogue sits beside',
      default: 'environments.yaml',
    },
    json: { type: 'boolean', description: 'show: print as JSON' },
    prices: { type: 'string', valueName: 'FILE', description: 'show: this catalogue instead of the default' },
  },
  async run(ctx) {
    const sub = ctx.args[0];
    const specArg = (ctx.flags.spec as string | undefined) ?? 'environments.yaml';
    const specPath = isAbsolute(specArg) ? specArg : join(ctx.cwd, specArg);
    const today = new Date().toISOString().slice(0, 10);
    if (sub === 'show') {
      const { loadCatalogue } = await import('../../cost/catalogue-file.js');
      const { stalenessWarning } = await import('../../cost/catalogue.js');
      const loaded = loadCatalogue({
        cwd: ctx.cwd,
        specPath,
        explicit: (ctx.flags.prices as string | undefined) ?? ctx.env.ENVC_PRICES,
      });
      if ('error' in loaded) return { exitCode: ExitCode.Findings, stderr: `envc: ${loaded.error}\n` };
      const c = loaded.catalogue;
      const stale = stalenessWarning(c, today, loaded.where);
      const info = {
        where: loaded.where,
        date: c.date,
        source: c.source,
        prices: Object.keys(c.prices).length,
      };
      return {
        exitCode: ExitCode.Ok,
        stdout: ctx.flags.json
          ? `${JSON.stringify(info, null, 2)}\n`
          : `catalogue: ${info.where}\ndate: ${info.date}\nsource: ${info.source}\nprices: ${info.prices}\n`,
        ...(stale ? { stderr: `${stale}\n` } : {}),
      };
    }
    if (sub !== 'update')
      throw new UsageError(
        sub
          ? `unknown subcommand "${sub}" (update or show)`
          : 'say `envc prices update` or `envc prices show`',
      );
    const outArg = ctx.flags.out as string | undefined;
    const { CATALOGUE_FILE, writeCatalogue } = await import('../../cost/catalogue-file.js');
    const out = outArg
      ? isAbsolute(outArg)
        ? outArg
        : join(ctx.cwd, outArg)
      : join(dirname(specPath), CATALOGUE_FILE);
    const { fetchPriceCatalogue } = await import('../../integrations/linode-prices.js');
    ctx.progress('reading prices from the Linode API…');
    let cat: Awaited<ReturnType<typeof fetchPriceCatalogue>>;
    try {
      cat = await fetchPriceCatalogue({
        today,
        ...(ctx.env.LINODE_TOKEN ? { token: ctx.env.LINODE_TOKEN } : {}),
        ...(ctx.env.LINODE_API_URL ? { apiUrl: ctx.env.LINODE_API_URL } : {}),
      });
    } catch (err) {
      return {
        exitCode: ExitCode.Internal,
        stderr: `envc: ${(err as Error).message}; the catalogue was not changed\n`,
      };
    }
    await writeCatalogue(out, cat);
    const n = Object.keys(cat.prices).length;
    return {
      exitCode: ExitCode.Ok,
      stdout: `wrote ${relative(ctx.cwd, out) || out}: ${n} prices of ${cat.date}\n`,
    };
  },
};
