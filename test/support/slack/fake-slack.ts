// Moved to src/slack-standin (the shipped local Slack stand-in that `envc demo` uses); kept so tests import one place.
export * from '../../../src/slack-standin/fake-slack.js';
