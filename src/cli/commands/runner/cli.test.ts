import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../runner/context.js';
import { makeStyle } from '../../output.js';
import { parseDurationMs } from './options.js';
import { createProgress } from './progress.js';
import { exitCodeOf, problemsText } from './render.js';

describe('run command helpers', () => {
  it('parses durations', () => {
    expect(parseDurationMs('30m', 'wait')).toBe(1_800_000);
    expect(parseDurationMs('1h30m', 'wait')).toBe(5_400_000);
    expect(parseDurationMs('45', 'wait')).toBe(45_000);
    expect(parseDurationMs('0', 'wait')).toBe(0);
    expect(() => parseDurationMs('soon', 'wait')).toThrow(
      '--wait takes a duration like 30s, 10m or 1h, not "soon"',
    );
    expect(() => parseDurationMs('10x', 'lock-wait')).toThrow(/--lock-wait/);
  });

  it('exit codes: internal > refusal > awaiting approval > changes > ok', () => {
    const ok: Outcome<unknown> = { env: 'a', status: 'ok', value: {} };
    const refused: Outcome<unknown> = { env: 'b', status: 'refused', code: 'ENVC4005', message: 'locked' };
    const awaiting: Outcome<unknown> = {
      env: 'c',
      status: 'awaiting-approval',
      digest: 'd',
      message: 'm',
      approveCommand: 'x',
      reasons: [],
    };
    const failed: Outcome<unknown> = { env: 'd', status: 'failed', message: 'boom' };
    expect(exitCodeOf([ok])).toBe(0);
    expect(exitCodeOf([ok], () => true)).toBe(2);
    expect(exitCodeOf([ok, awaiting])).toBe(4);
    expect(exitCodeOf([awaiting, refused])).toBe(1);
    expect(exitCodeOf([refused, failed, awaiting])).toBe(3);
    expect(problemsText([refused, awaiting], makeStyle(false))).toBe(
      'refused b: locked [ENVC4005]\nawaiting approval c: m\n  approve with: x\n  then run again: envc apply --env c   (or wait: --wait 30m)\n',
    );
  });

  it('a missing state bucket is "not ready" (exit 5) with bootstrap as the next step, unless something else failed', () => {
    const noBucket: Outcome<unknown> = {
      env: 'development',
      status: 'failed',
      message:
        'cluster root: terraform init exited 1: Error: Failed to get existing workspaces: S3 bucket "acme-tfstate-development" does not exist.',
    };
    const other: Outcome<unknown> = {
      env: 'staging',
      status: 'failed',
      message: 'terraform plan exited 1: Error: Invalid reference',
    };
    expect(exitCodeOf([noBucket])).toBe(5);
    expect(exitCodeOf([noBucket, other])).toBe(3);
    const text = problemsText([noBucket], makeStyle(false));
    expect(text.trimEnd().split('\n').at(-1)).toMatch(
      /^ {2}next: the state bucket acme-tfstate-development does not exist yet: run `npx envc bootstrap` first/,
    );
    expect(text).not.toContain('--verbose');
    expect(problemsText([noBucket, other], makeStyle(false))).toMatch(/next: rerun with --verbose/);
  });

  it('progress: plain lines off a terminal; one redrawn line per environment on one', () => {
    const plain: string[] = [];
    const p = createProgress({ isTTY: false, emit: (t) => plain.push(t), style: makeStyle(false) });
    p.update('production', 'planning');
    p.log('production: plan ready');
    expect(plain).toEqual(['envc: production: planning', 'production: plan ready']);

    const tty: string[] = [];
    const t = createProgress({ isTTY: true, emit: (x) => tty.push(x), style: makeStyle(false) });
    t.update('system', 'init');
    t.update('production', 'init');
    t.update('system', 'planning');
    t.log('an event');
    expect(tty[0]).toBe('\u001b[2K  system         init');
    // Third draw: cursor up two lines, clear, both environments again.
    expect(tty[2]).toBe(
      '\u001b[2A\r\u001b[J\u001b[2K  system         planning\n\u001b[2K  production     init',
    );
    expect(tty[3]).toBe(
      '\u001b[2A\r\u001b[Jan event\n\u001b[2K  system         planning\n\u001b[2K  production     init',
    );
  });
});
