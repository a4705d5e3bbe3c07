import { noteMessage } from '../../blocks/help.js';
import { defineSubCommand } from '../types.js';
import { noMoreArgs } from './args.js';

/**
 * `/infra web`: a one-time sign-in link to the plan review and read-only pages, shown only to the person
 * who asked (ephemeral). The link carries a short-lived, single-use token the pages exchange for a session
 * cookie; what the pages then show depends on this Slack user's approver groups.
 */
export default defineSubCommand<true>({
  name: 'web',
  usage: 'web',
  summary: 'a sign-in link to the plan review pages (only you see it; valid 10 minutes, once)',
  parse: (input) => noMoreArgs(input.args, 0),
  ackWith: () => undefined,
  run: async ({ deps, input, respond }) => {
    const pages = deps.pages;
    if (!pages) {
      await respond(noteMessage('This bot does not serve web pages (start it with ENVC_WEB_URL set).'));
      return;
    }
    const link = pages.signInLink?.(input.user);
    await respond(
      link
        ? noteMessage(
            `<${link}|Sign in to the envc pages> — only you can see this link; it works once, within 10 minutes.`,
            ':key:',
          )
        : noteMessage(`The pages need no sign-in here: <${pages.home}|open them>.`),
    );
  },
});
