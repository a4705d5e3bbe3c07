import { parseArgs } from 'node:util';
import { Redactor } from '../redact.js';
import { ENVC_VERSION } from '../version.js';
import { type CommandContext, type CommandResult, type CommandSpec, globalOptions } from './command.js';
import { ExitCode } from './exit-codes.js';
import { renderCommandHelp, renderMainHelp } from './help.js';
import { colourEnabled, makeStyle } from './output.js';
import { commands } from './registry.js';

/** Environment variables whose values are secrets envc may hold while it runs. */
const SECRET_ENV = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'LINODE_TOKEN',
  'ENVC_API_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'ENVC_STORE',
  'DATABASE_URL',
];

/** The abort reason when a signal stops a command. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

/** 128 + the signal's number, as shells report it: SIGINT → 130, SIGTERM → 143. */
export function signalExitCode(sig: NodeJS.Signals): number {
  return sig === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted;
}

/** Thrown for malformed command lines; turned into exit code 64 with the command's usage. */
export class UsageError extends Error {}

/**
 * Runs one envc invocation and returns its result. Pure with respect to process exit: tests call this
 * directly; `run` below is the only place that exits.
 */
export async function execute(
  argv: string[],
  io: Partial<Pick<CommandContext, 'cwd' | 'env' | 'signal'>> & {
    stdoutTTY?: boolean;
    stderrTTY?: boolean;
    onProgress?: (line: string) => void;
    onWrite?: (chunk: string) => void;
    /** Asks the person at the terminal (only when stdin and stderr are terminals). */
    ask?: (question: string) => Promise<string>;
  } = {},
): Promise<CommandResult> {
  const env = io.env ?? process.env;
  const noColorFlag = argv.includes('--no-color');
  const style = makeStyle(!noColorFlag && colourEnabled({ isTTY: io.stdoutTTY ?? false }, env));
  const errStyle = makeStyle(!noColorFlag && colourEnabled({ isTTY: io.stderrTTY ?? false }, env));
  const [first, ...rest] = commandFirst(argv);

  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] && commands[rest[0]]) return helpFor(rest[0], style);
    return { exitCode: ExitCode.Ok, stdout: renderMainHelp(style) };
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    return { exitCode: ExitCode.Ok, stdout: `${ENVC_VERSION}\n` };
  }
  const parsedLine = await parseCommandLine(argv);
  if (parsedLine.kind === 'usage') return parsedLine.result;
  if (parsedLine.kind !== 'command') throw new Error('unreachable: help and version were answered above');
  const { command, parsed } = parsedLine;
  if (parsed.values.help) return { exitCode: ExitCode.Ok, stdout: renderCommandHelp(command, style) };
  const ctx: CommandContext = {
    args: parsed.positionals,
    flags: parsed.values as CommandContext['flags'],
    cwd: io.cwd ?? process.cwd(),
    env,
    style,
    errStyle,
    isTTY: io.stderrTTY ?? false,
    progress: io.onProgress ?? (() => {}),
    write: io.onWrite ?? (() => {}),
    signal: io.signal ?? new AbortController().signal,
    ...(io.ask ? { ask: io.ask } : {}),
  };
  try {
    return await command.run(ctx);
  } catch (err) {
    if (err instanceof UsageError) return usage(command, err.message);
    throw err;
  }
}

export type ParsedCommandLine =
  | { kind: 'help' | 'version' }
  | { kind: 'command'; command: CommandSpec; parsed: ReturnType<typeof parseArgs> }
  | { kind: 'usage'; result: CommandResult };

/**
 * Parses a command line exactly as `envc` does, without running anything: which command, its flags and
 * positionals, or the usage error `envc` would print. Tests parse every command the docs show with it.
 */
export async function parseCommandLine(argv: readonly string[]): Promise<ParsedCommandLine> {
  const [first, ...rest] = commandFirst(argv);
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { kind: 'help' };
  if (first === '--version' || first === '-v' || first === 'version') return { kind: 'version' };
  const entry = commands[first];
  if (!entry) {
    const suggestion = (await import('../compiler/diagnostics/suggest.js')).suggest(
      first,
      Object.keys(commands),
    );
    return {
      kind: 'usage',
      result: {
        exitCode: ExitCode.Usage,
        stderr: `envc: unknown command "${first}"${suggestion ? ` — did you mean "${suggestion}"?` : ''}\nnext: run \`envc --help\` for the list of commands\n`,
      },
    };
  }
  const { command } = await entry.load();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...globalOptions, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    return {
      kind: 'usage',
      result: usage(command, await parseErrorMessage(err as Error & { code?: string }, command)),
    };
  }
  if (!parsed.values.help && parsed.positionals.length > (command.maxPositionals ?? 0)) {
    return {
      kind: 'usage',
      result: usage(command, `unexpected argument "${parsed.positionals[command.maxPositionals ?? 0]}"`),
    };
  }
  return { kind: 'command', command, parsed };
}

/**
 * Global flags (`--no-color`, `--help`) may come before the command: `envc --no-color validate` is
 * `envc validate --no-color`. Only flags every command accepts move; anything else stays where it was.
 */
export function commandFirst(argv: readonly string[]): string[] {
  const globals = new Set(['--no-color']);
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length && globals.has(argv[i]!)) lead.push(argv[i++]!);
  if (lead.length === 0 || i >= argv.length) return [...argv];
  const [cmd, ...rest] = argv.slice(i);
  return [cmd!, ...lead, ...rest];
}

/** node:util's parser messages, in envc's words, with a did-you-mean for an unknown option. */
async function parseErrorMessage(err: Error & { code?: string }, command: CommandSpec): Promise<string> {
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const m = /Unknown option '(-{1,2}[^']*)'/.exec(err.message);
    const given = m?.[1] ?? '';
    const names = Object.keys({ ...globalOptions, ...command.options });
    const { suggest } = await import('../compiler/diagnostics/suggest.js');
    const hit = given.startsWith('--') ? suggest(given.slice(2), names) : undefined;
    return `unknown option ${given}${hit ? ` — did you mean --${hit}?` : ''}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const m = /Option '([^']*)' argument missing/.exec(err.message);
    if (m) return `${m[1]} needs a value`;
    const b = /Option '([^']*)' does not take an argument/.exec(err.message);
    if (b) return `${b[1]} takes no value`;
  }
  return err.message;
}

function usage(command: CommandSpec, message: string): CommandResult {
  return {
    exitCode: ExitCode.Usage,
    stderr: `envc ${command.name}: ${message}\nusage: ${command.usage}\nnext: run \`envc ${command.name} --help\` for details\n`,
  };
}

async function helpFor(name: string, style: ReturnType<typeof makeStyle>): Promise<CommandResult> {
  const { command } = await commands[name]!.load();
  return { exitCode: ExitCode.Ok, stdout: renderCommandHelp(command, style) };
}

/** The process entry point: the only place in envc that exits. */
export async function run(argv: string[]): Promise<void> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (received) process.exit(signalExitCode(sig));
    received = sig;
    process.stderr.write(
      `\nenvc: ${sig} received: starting nothing new, finishing or rolling back what runs (send again to force)\n`,
    );
    controller.abort(new Interrupted(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: CommandResult;
  try {
    result = await execute(argv, {
      stdoutTTY: process.stdout.isTTY === true,
      stderrTTY: process.stderr.isTTY === true,
      onProgress: (line) => process.stderr.write(`${line}\n`),
      onWrite: (chunk) => process.stdout.write(chunk),
      signal: controller.signal,
      ...(process.stdin.isTTY === true && process.stderr.isTTY === true ? { ask: askOnTerminal } : {}),
    });
  } catch (err) {
    const e = err as Error;
    if (received) result = { exitCode: ExitCode.Internal };
    else {
      // An internal error: say what, never dump a stack unless asked (ENVC_DEBUG=1).
      const detail = process.env.ENVC_DEBUG
        ? `\n${e.stack ?? ''}`
        : '\nrerun with ENVC_DEBUG=1 for a stack trace';
      result = { exitCode: ExitCode.Internal, stderr: `envc: internal error: ${e.message}${detail}\n` };
    }
  }
  // Interrupted: whatever the command made of the abort, the exit code says which signal stopped it.
  if (received) {
    result.exitCode = signalExitCode(received);
    result.stderr = `${result.stderr ?? ''}envc: interrupted (${received})\n`;
  }
  // Last net before the terminal: a secret from the environment (a token echoed by a failing tool, a
  // database URL in an error) never reaches stdout, stderr or CI logs.
  const redactor = new Redactor(SECRET_ENV.map((k) => process.env[k]));
  if (result.stdout) result.stdout = redactor.text(result.stdout);
  if (result.stderr) result.stderr = redactor.text(result.stderr);
  process.exitCode = result.exitCode;
  // Long-lived commands (bot) never return; everything else lets the event loop drain, then we exit so a
  // stray handle cannot keep CI waiting. Exit only once both streams are flushed: writes to a pipe are
  // asynchronous, and exiting earlier cuts output after 64 KB (`envc validate --format json | jq`).
  let unflushed = 2;
  const flushed = () => {
    if (--unflushed === 0) setImmediate(() => process.exit(result.exitCode));
  };
  if (result.stdout) process.stdout.write(result.stdout, flushed);
  else flushed();
  if (result.stderr) process.stderr.write(result.stderr, flushed);
  else flushed();
}

/** One question on the terminal (destroy's confirmation); readline only loads when a command asks. */
async function askOnTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
