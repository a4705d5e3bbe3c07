/**
 * A throw-away PostgreSQL server for the tests, started the way `.ci/run` starts one: when
 * ENVC_TEST_POSTGRES_URL is unset and initdb/pg_ctl are on PATH (or under /usr/lib/postgresql/<v>/bin),
 * initdb a temp directory and start a server on a loopback port with a private socket directory.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (via runuser).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TestPostgres {
  url: string;
  stop(): void;
}

function findBin(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) for (const v of readdirSync(lib).sort().reverse()) dirs.push(join(lib, v, 'bin'));
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a server, or returns undefined (with the reason) when this machine cannot run one. */
export async function startTestPostgres(port?: number): Promise<{ server?: TestPostgres; reason?: string }> {
  const initdb = findBin('initdb');
  const pgCtl = findBin('pg_ctl');
  if (!initdb || !pgCtl) return { reason: 'initdb/pg_ctl are not installed' };
  const root = userInfo().uid === 0;
  let uid: number | undefined;
  let gid: number | undefined;
  if (root) {
    try {
      uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    } catch {
      return { reason: 'running as root and there is no postgres user to run the server as' };
    }
  }
  const run = (bin: string, args: string[]) =>
    root
      ? execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' })
      : execFileSync(bin, args, { stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'envc-test-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  mkdirSync(data, { mode: 0o700 });
  mkdirSync(sock);
  if (root) for (const p of [dir, data, sock]) chownSync(p, uid!, gid!);
  const p = port ?? (await freePort());
  try {
    run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    run(pgCtl, [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-p ${p} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-w',
      'start',
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const out = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
    return { reason: `could not start PostgreSQL: ${out.trim().split('\n').slice(-2).join(' ')}` };
  }
  return {
    server: {
      url: `postgres://postgres@127.0.0.1:${p}/postgres`,
      stop: () => {
        try {
          run(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  };
}
