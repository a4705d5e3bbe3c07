import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envc } from '../support/cli.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('first screen shows the two set-up commands', () => {
    const firstScreen = readme.split('\n').slice(0, 15).join('\n');
    expect(firstScreen).toContain('npm ci && npx envc compile');
    expect(firstScreen).toContain('npm test');
  });

  it('first screen has the "Try it" section with the one demo command, and that command exists', () => {
    const firstScreen = readme.split('\n').slice(0, 20).join('\n');
    expect(firstScreen).toMatch(/^\*\*Try it\*\*/m);
    const command = /```sh\n(npx envc demo)\s/.exec(firstScreen)?.[1];
    expect(command).toBe('npx envc demo');
    const help = envc(['demo', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('envc demo [--dir DIR]');
    // What it needs besides the package is said on the same screen.
    expect(firstScreen).toContain('terraform');
  });

  it('shows the diagram `envc graph` draws for the default spec', () => {
    const r = envc(['graph']);
    expect(r.code).toBe(0);
    const block = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has a mermaid block').toBeDefined();
    expect(block!.trim()).toBe(r.stdout.trim());
  });
});
