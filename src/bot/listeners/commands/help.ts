import { helpMessage } from '../../blocks/help.js';
import { defineSubCommand } from '../types.js';
import { noMoreArgs } from './args.js';

export default defineSubCommand<true>({
  name: 'help',
  usage: 'help',
  summary: 'this list',
  parse: (input) => noMoreArgs(input.args, 0),
  ackWith: (_v, input) => helpMessage(input.usage),
  ackOnly: true,
  run: async () => {},
});
