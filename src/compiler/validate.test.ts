import { describe, expect, it } from 'vitest';
import { defaultSpecText } from '../../test/support/model.js';
import { loadSpec } from './load.js';
import { validateSpec } from './validate.js';

function validateText(text: string) {
  const { source, diagnostics } = loadSpec('environments.yaml', text);
  expect(diagnostics).toEqual([]);
  return validateSpec(source!);
}

/** Replaces one exact snippet of the default spec (fails loudly when the snippet is gone). */
function edit(from: string, to: string): string {
  const text = defaultSpecText();
  expect(text).toContain(from);
  return text.replace(from, to);
}

function lineOf(text: string, snippet: string): number {
  return text.slice(0, text.indexOf(snippet)).split('\n').length;
}

describe('validateSpec', () => {
  it('accepts the shipped environments.yaml', () => {
    expect(validateText(defaultSpecText())).toEqual([]);
  });

  it('locates an unknown key at the key and suggests the known one', () => {
    const text = edit('    health: /healthz', '    helth: /healthz');
    const [d, ...rest] = validateText(text);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'ENVC1001',
      line: lineOf(text, 'helth:'),
      column: 5,
      path: 'services[0].helth',
    });
    expect(d!.hint).toBe('did you mean "health"?');
  });

  it('names the missing key and points at its parent', () => {
    const text = edit('  bucket: acme-tfstate\n', '');
    const [d] = validateText(text);
    expect(d).toMatchObject({ code: 'ENVC1002', line: lineOf(text, 'stateBackend:') });
    expect(d!.message).toBe('missing required key "bucket" in stateBackend');
  });

  it('reports wrong types with what was found', () => {
    const text = edit(
      '      services: 30\n      perService:\n        requests: { cpu: 250m, memory: 512Mi }\n        limits: { cpu: 500m',
      '      services: thirty\n      perService:\n        requests: { cpu: 250m, memory: 512Mi }\n        limits: { cpu: 500m',
    );
    const [d] = validateText(text);
    expect(d).toMatchObject({
      code: 'ENVC1003',
      line: lineOf(text, 'thirty'),
      path: 'environments.development.quotas.services',
    });
    expect(d!.message).toContain('must be an integer, got string "thirty"');
  });

  it('suggests the closest enum value', () => {
    const text = edit(
      '    tier: non-production\n    description: Shared',
      '    tier: non-prod\n    description: Shared',
    );
    const [d] = validateText(text);
    expect(d).toMatchObject({ code: 'ENVC1004', path: 'environments.development.tier' });
    expect(d!.hint).toMatch(/^did you mean "non-production"\?/);
  });

  it('explains pattern errors with the schema description and examples', () => {
    const text = edit(
      'ipv4: ["203.0.113.0/24"]\n      pools:\n        - name: general\n          type: g6-standard-4\n          count: 3\n          autoscaler: { min: 3, max: 6 }',
      'ipv4: ["203.0.113.0/33"]\n      pools:\n        - name: general\n          type: g6-standard-4\n          count: 3\n          autoscaler: { min: 3, max: 6 }',
    );
    const [d] = validateText(text);
    expect(d).toMatchObject({
      code: 'ENVC1005',
      line: lineOf(text, '203.0.113.0/33'),
      column: text.split('\n')[lineOf(text, '203.0.113.0/33') - 1]!.indexOf('"203') + 1,
    });
    expect(d!.message).toContain('an IPv4 CIDR block');
  });

  it('reports every problem in one run', () => {
    let text = edit('    health: /healthz', '    helth: /healthz');
    text = text
      .replace('retention: 15d', 'retention: 15days')
      .replace('  availability: 99.5', '  availability: 101');
    const codes = validateText(text)
      .map((d) => d.code)
      .sort();
    expect(codes).toEqual(['ENVC1001', 'ENVC1005', 'ENVC1006']);
  });

  it('reports an invalid map key name', () => {
    const text = edit('  staging:\n    tier: non-production', '  Staging:\n    tier: non-production');
    const d = validateText(text).find((x) => x.code === 'ENVC1009');
    expect(d).toMatchObject({ line: lineOf(text, '  Staging:'), column: 3 });
  });
});
