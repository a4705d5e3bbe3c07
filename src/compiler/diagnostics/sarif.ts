import type { Diagnostic } from './diagnostic.js';

/**
 * SARIF 2.1.0 so GitHub code scanning annotates the PR lines that produced a finding.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function toSarif(diags: readonly Diagnostic[], envcVersion: string): object {
  const codes = [...new Set(diags.map((d) => d.code))].sort();
  const level = (s: Diagnostic['severity']) =>
    s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'envc',
            version: envcVersion,
            informationUri: 'https://github.com/envc/envc',
            rules: codes.map((code) => {
              const sample = diags.find((d) => d.code === code)!;
              return {
                id: code,
                shortDescription: { text: sample.message },
                ...(sample.docs ? { helpUri: sample.docs } : {}),
                defaultConfiguration: { level: level(sample.severity) },
              };
            }),
          },
        },
        results: diags.map((d) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: level(d.severity),
          message: { text: d.hint ? `${d.message}. hint: ${d.hint}` : d.message },
          locations: d.file
            ? [
                {
                  physicalLocation: {
                    artifactLocation: { uri: d.file },
                    region: {
                      startLine: d.line ?? 1,
                      startColumn: d.column ?? 1,
                      ...(d.endLine ? { endLine: d.endLine } : {}),
                      ...(d.endColumn ? { endColumn: d.endColumn } : {}),
                    },
                  },
                  ...(d.path ? { logicalLocations: [{ fullyQualifiedName: d.path, kind: 'member' }] } : {}),
                },
              ]
            : [],
        })),
      },
    ],
  };
}
