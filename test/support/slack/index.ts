export { checkBlocks, checkMessage, checkView, type Problem } from './block-kit.js';
export {
  DEFAULTS,
  type FakeMessage,
  FakeSlack,
  type FakeSlackOptions,
  manifestBotScopes,
} from './fake-slack.js';
export { formBody, interactionBody, postSigned, signature, signedHeaders } from './signing.js';
export { type AckFrame, FakeSocketMode } from './socket-mode.js';
export { type Delivery, SlackUser, type Transport } from './user.js';
