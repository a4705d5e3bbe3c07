import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { isPlainSafe, toYamlDocument } from './yaml.js';

/** What go-yaml v2 (YAML 1.1, used by Helm and kubectl) and the `yaml` library (1.2) both read back. */
function roundTrip(value: unknown) {
  const text = toYamlDocument(value);
  expect(parse(text)).toEqual(value);
  const doc = parseAllDocuments(text, { version: '1.1' })[0]!;
  expect(doc.errors).toEqual([]);
  expect(doc.toJS()).toEqual(value);
  return text;
}

describe('toYamlDocument', () => {
  it('writes block style with sorted keys, like the manifests reviewers read', () => {
    expect(
      toYamlDocument({
        kind: 'Service',
        apiVersion: 'v1',
        spec: { ports: [{ port: 80, name: 'http' }], selector: {} },
        list: [],
      }),
    ).toBe(
      [
        'apiVersion: v1',
        'kind: Service',
        'list: []',
        'spec:',
        '  ports:',
        '    - name: http',
        '      port: 80',
        '  selector: {}',
        '',
      ].join('\n'),
    );
  });

  it('quotes every string a YAML reader could take for something else', () => {
    for (const s of [
      'yes',
      'No',
      'on',
      'OFF',
      'y',
      'null',
      '~',
      'true',
      '1.33',
      '0755',
      '0x1F',
      '1e3',
      '.inf',
      '-1',
      '2024-04-01',
      '',
      ' lead',
      'trail ',
      'a: b',
      'a #c',
      '#x',
      '- x',
      '*x',
      '&x',
      '!x',
      '%x',
      '@x',
      '`x',
      '{{.name}}',
      '[a]',
      'key:',
      '"q"',
      "'q'",
      '|',
      '>',
      '?',
      'tab\there',
      'ünï',
      'e0',
      'E5',
      '_e1',
      '1e3',
      '1E',
      '0x1F',
      '0xA', // digits then letters, but a hex integer (found by the fast-check round trip)
      '0xff',
      '0o17',
      '1_000m',
    ]) {
      expect(isPlainSafe(s), s).toBe(false);
      roundTrip({ v: s, l: [s] });
    }
    for (const s of ['10.2.0.0/16', '0.0.0.0/0', '250m', '1Gi', '720h', '0.5Gi']) roundTrip({ cidr: s });
    for (const s of [
      'nginx',
      'kube-system',
      'app.kubernetes.io/name',
      'http://tempo.monitoring.svc:4318',
      'ghcr.io/acme/sample-service:1.4.2',
      '/healthz',
      'CreateNamespace=false',
      'v1.33',
      'envc:view',
      '10.2.0.0/16',
      '0.0.0.0/0',
      '250m',
      '1Gi',
      '720h',
      '0.5Gi',
    ]) {
      expect(isPlainSafe(s), s).toBe(true);
    }
  });

  it('writes multi-line strings as literal blocks that keep every line', () => {
    const expr = 'sum(rate(x[5m]))\n/\nsum(rate(y[5m]))';
    const text = roundTrip({ expr, json: '{\n  "a": 1\n}\n', rules: [{ expr }] });
    expect(text).toContain('expr: |-\n  sum(rate(x[5m]))\n  /\n');
    expect(text).toContain('json: |\n  {\n    "a": 1\n  }\n');
    roundTrip({ odd: ['\n', 'a\n\n', ' a\nb', 'a\n  \nb', 'a\r\nb', 'x\n'] });
  });

  it('round-trips any JSON value (fast-check)', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).filter((v) => !Object.is(v, -0));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), (value) => {
        roundTrip(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips any string, control characters and line breaks included (fast-check)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .array(fc.constantFrom('a', ' ', '\n', ':', '#', '-', '|', '"', "'", '\t', '\r', 'é'), {
          maxLength: 12,
        })
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 }))), (value) => {
        roundTrip(value);
      }),
      { numRuns: 1000 },
    );
  });
});
