import type { CommandSpec } from './command.js';
import { globalOptions } from './command.js';
import { exitCodeTable } from './exit-codes.js';
import type { Style } from './output.js';
import { commands } from './registry.js';

const groupTitles = { spec: 'Spec and compile', run: 'Plan and apply', operate: 'Operate' } as const;

export function renderMainHelp(s: Style): string {
  const lines = [
    `${s.bold('envc')} — one reviewed environments.yaml for your Linode Kubernetes platform`,
    '',
    `${s.bold('usage:')} envc <command> [options]`,
    '',
  ];
  for (const group of Object.keys(groupTitles) as Array<keyof typeof groupTitles>) {
    const names = Object.keys(commands).filter((n) => commands[n]!.group === group);
    if (names.length === 0) continue;
    lines.push(s.bold(groupTitles[group]));
    for (const n of names) lines.push(`  ${n.padEnd(10)} ${commands[n]!.summary}`);
    lines.push('');
  }
  lines.push(
    s.bold('Options'),
    '  -h, --help     help for envc or a command (envc <command> --help)',
    '  -v, --version  print the version',
    '',
  );
  lines.push(exitCodesSection(s));
  return `${lines.join('\n')}\n`;
}

export function renderCommandHelp(c: CommandSpec, s: Style): string {
  const lines = [`${s.bold(`envc ${c.name}`)} — ${c.summary}`, '', `${s.bold('usage:')} ${c.usage}`, ''];
  if (c.description) lines.push(c.description.trimEnd(), '');
  lines.push(s.bold('Options'));
  for (const [name, o] of Object.entries({ ...c.options, ...globalOptions })) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
    lines.push(
      `  ${flag.padEnd(28)} ${o.description}${o.default !== undefined ? ` (default: ${String(o.default)})` : ''}`,
    );
  }
  lines.push('', exitCodesSection(s));
  return `${lines.join('\n')}\n`;
}

function exitCodesSection(s: Style): string {
  return [
    s.bold('Exit codes'),
    ...exitCodeTable.map((e) => `  ${String(e.code).padStart(2)}  ${e.meaning}`),
  ].join('\n');
}
