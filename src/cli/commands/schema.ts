import { specSchema } from '../../compiler/validate.js';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';

export const command: CommandSpec = {
  name: 'schema',
  summary: 'print the JSON Schema of environments.yaml',
  usage: 'envc schema',
  description: `Prints schemas/environments.schema.json (JSON Schema 2020-12). Editors use it for completion:
the first line of environments.yaml, \`# yaml-language-server: $schema=./schemas/environments.schema.json\`,
points VS Code's YAML extension at it.`,
  options: {},
  async run() {
    return { exitCode: ExitCode.Ok, stdout: `${JSON.stringify(specSchema(), null, 2)}\n` };
  },
};
