import { describe, expect, it } from 'vitest';
import { outputsOf, resourcesOf, variablesOf } from './tfdoc.js';

const HCL = `# header

variable "plain" {
  description = "A \\"quoted\\" | piped description."
  type        = string
}

variable "object" {
  description = "An object."
  type = object({
    a = string
  })
  default = null
}

resource "linode_firewall" "this" {
  label = "x"
}

output "secret" {
  description = "Shh."
  value       = linode_firewall.this.id
  sensitive   = true
}

output "open" {
  value = 1
}
`;

describe('tfdoc', () => {
  it('reads variables with type, default and an escaped description', () => {
    expect(variablesOf(HCL)).toEqual([
      {
        name: 'plain',
        type: 'string',
        description: 'A "quoted" \\| piped description.',
        hasDefault: false,
        default: '',
      },
      { name: 'object', type: 'object({…})', description: 'An object.', hasDefault: true, default: 'null' },
    ]);
  });

  it('reads outputs and whether they are sensitive', () => {
    expect(outputsOf(HCL)).toEqual([
      { name: 'secret', description: 'Shh.', sensitive: true },
      { name: 'open', description: '', sensitive: false },
    ]);
  });

  it('lists resources as type.name', () => {
    expect(resourcesOf(HCL)).toEqual(['linode_firewall.this']);
  });
});
