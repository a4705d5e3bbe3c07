import { noteMessage } from '../../blocks/help.js';
import { snooze } from '../../drift.js';
import { ActionId } from '../../ids.js';
import type { ActionListener } from '../types.js';

const snoozeAction: ActionListener = {
  actionId: ActionId.driftSnooze,
  name: 'drift_snooze',
  async run({ deps, input, respond }) {
    const existing = await deps.store.getIncident(input.value);
    if (existing?.status !== 'open')
      return respond(noteMessage('This incident is no longer open.', ':information_source:'));
    if (existing.snoozedUntil && existing.snoozedUntil > deps.now())
      return respond(noteMessage('Already snoozed.', ':zzz:'));
    await snooze(deps, input.value, input.user, 24);
  },
};
export default snoozeAction;
