import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';

export const command: CommandSpec = {
  name: 'demo',
  summary:
    'try the whole day-2 loop locally: the real bot, a Slack playground and the plan pages (no account, no network)',
  usage: 'envc demo [--dir DIR] [--port N] [--keep] [--scale N]',
  description: `Compiles the shipped environments.yaml into a demo directory, lays out offline stand-in stacks
(terraform's built-in terraform_data, local state, the same modules and resource names as the real
stacks), starts a local Slack stand-in that checks every call against Slack's published contract, and
the real bot against it (Bolt's HTTP receiver, signed requests, the runner, the embedded store). Prints
one URL on 127.0.0.1: a #platform-infra playground where you type /infra commands and click the bot's
buttons as three demo people (requester, approver, not an approver), plus the plan review pages.
Each environment gets a local Kubernetes API stand-in with the generated namespaces and RBAC: an approved
/infra access request creates its RoleBinding there (as the bot's ServiceAccount), and the expiry job
deletes it when the grant ends (try /infra access production view 1m debug).

Ctrl-C stops everything and removes the temporary directory (kept with --dir or --keep); nothing is
written to the current directory. Exits 130 after Ctrl-C (SIGINT), 143 after SIGTERM, 3 when it cannot
start (the message says why: no terraform on PATH, port in use, ...).`,
  options: {
    dir: {
      type: 'string',
      valueName: 'DIR',
      description: 'keep all demo state here (default: a new temporary directory)',
    },
    port: {
      type: 'string',
      short: 'p',
      valueName: 'N',
      description: 'port on 127.0.0.1 (default: any free port)',
      default: '0',
    },
    keep: { type: 'boolean', description: 'keep the temporary directory after stopping' },
    scale: {
      type: 'string',
      valueName: 'N',
      description: 'add N stand-in resources to production (a large change)',
    },
  },
  async run(ctx) {
    const port = Number(ctx.flags.port ?? '0');
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a port number, not "${ctx.flags.port}"`);
    const scale = ctx.flags.scale === undefined ? 0 : Number(ctx.flags.scale);
    if (!Number.isInteger(scale) || scale < 0 || scale > 5000)
      throw new UsageError(`--scale must be a number from 0 to 5000, not "${ctx.flags.scale}"`);
    const dirFlag = ctx.flags.dir as string | undefined;
    let signal = 'SIGINT';
    const onTerm = () => {
      signal = 'SIGTERM';
    };
    process.once('SIGTERM', onTerm);
    const { startDemo, removeDemoDir } = await import('./demo/start.js');
    const { resolve } = await import('node:path');
    let demo: Awaited<ReturnType<typeof startDemo>>;
    try {
      demo = await startDemo({
        ...(dirFlag ? { dir: resolve(ctx.cwd, dirFlag) } : {}),
        port,
        env: ctx.env,
        ...(scale ? { scale: { production: scale } } : {}),
        progress: (l) => ctx.progress(l),
      });
    } catch (err) {
      process.off('SIGTERM', onTerm);
      return {
        exitCode: ExitCode.Internal,
        stderr: `envc demo: could not start: ${(err as Error).message}\n`,
      };
    }
    ctx.write(`envc demo is running: open ${demo.url}\n`);
    ctx.progress('Ctrl-C stops it.');
    await new Promise<void>((ok) => {
      if (ctx.signal.aborted) ok();
      else ctx.signal.addEventListener('abort', () => ok(), { once: true });
    });
    process.off('SIGTERM', onTerm);
    await demo.stop();
    if (!dirFlag && !ctx.flags.keep) await removeDemoDir(demo.dir);
    else ctx.progress(`envc demo: state kept in ${demo.dir}`);
    // The conventional exit status of a process stopped by a signal (128 + signal number).
    return { exitCode: signal === 'SIGTERM' ? 143 : 130 };
  },
};
