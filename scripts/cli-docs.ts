// Renders docs/cli.md from the command registry (src/cli/registry.ts), each command's spec (usage,
// description, options) and the exit-code table (src/cli/exit-codes.ts), so the CLI reference cannot drift
// from the CLI. test/e2e/docs-generated.test.ts fails when docs/cli.md is stale and rewrites it with
// ENVC_UPDATE_DOCS=1.
import { globalOptions, type OptionSpec } from '../src/cli/command.js';
import { exitCodeTable } from '../src/cli/exit-codes.js';
import { commands } from '../src/cli/registry.js';

const groups = { spec: 'Spec and compile', run: 'Plan and apply', operate: 'Operate' } as const;

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function optionRows(options: Record<string, OptionSpec>): string[] {
  const rows = ['| option | value | default | description |', '| --- | --- | --- | --- |'];
  for (const [name, o] of Object.entries(options)) {
    const flag = `${o.short ? `\`-${o.short}\`, ` : ''}\`--${name}\``;
    const value =
      o.type === 'string' ? `\`${o.valueName ?? 'value'}\`${o.multiple ? ' (repeatable)' : ''}` : '';
    const def = o.default !== undefined ? `\`${String(o.default)}\`` : '';
    rows.push(`| ${flag} | ${value} | ${def} | ${cell(o.description)} |`);
  }
  return rows;
}

export async function renderCliDocs(): Promise<string> {
  const out = [
    '<!-- generated from src/cli/registry.ts and src/cli/exit-codes.ts — do not edit; run `ENVC_UPDATE_DOCS=1 npx vitest run test/e2e/docs-generated.test.ts` -->',
    '# envc command line',
    '',
    '`envc <command> [options]`. Every command prints its own help with `--help`; `envc --version` prints the',
    'version. Colour follows the terminal and [NO_COLOR](https://no-color.org); progress goes to stderr so stdout',
    'stays data (`--json`, `--format`).',
    '',
    '## Exit codes',
    '',
    'One table for every command (2 mirrors terraform’s `-detailed-exitcode`, so CI scripts treat both alike):',
    '',
    '| code | name | meaning |',
    '| --- | --- | --- |',
    ...exitCodeTable.map((e) => `| ${e.code} | \`${e.name}\` | ${cell(e.meaning)} |`),
    '',
    '## Commands',
    '',
  ];
  const names = Object.keys(commands);
  for (const g of Object.keys(groups) as Array<keyof typeof groups>) {
    const inGroup = names.filter((n) => commands[n]!.group === g);
    if (inGroup.length === 0) continue;
    out.push(`### ${groups[g]}`, '', '| command | what it does |', '| --- | --- |');
    for (const n of inGroup) out.push(`| [\`envc ${n}\`](#envc-${n}) | ${cell(commands[n]!.summary)} |`);
    out.push('');
  }
  out.push('Options every command accepts:', '', ...optionRows(globalOptions), '');
  for (const n of names) {
    const { command } = await commands[n]!.load();
    out.push(`## envc ${n}`, '', command.summary, '', '```', command.usage, '```', '');
    if (command.description) out.push('```text', command.description.trimEnd(), '```', '');
    if (Object.keys(command.options).length > 0) out.push(...optionRows(command.options), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
