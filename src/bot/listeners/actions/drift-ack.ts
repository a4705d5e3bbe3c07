import { noteMessage } from '../../blocks/help.js';
import { acknowledge } from '../../drift.js';
import { ActionId } from '../../ids.js';
import type { ActionListener } from '../types.js';

const ack: ActionListener = {
  actionId: ActionId.driftAck,
  name: 'drift_ack',
  async run({ deps, input, respond }) {
    const existing = await deps.store.getIncident(input.value);
    if (existing?.status !== 'open')
      return respond(noteMessage('This incident is no longer open.', ':information_source:'));
    // A second click (or a second person) changes nothing: the first acknowledgement stands.
    if (existing.ackedBy)
      return respond(noteMessage(`Already acknowledged by <@${existing.ackedBy}>.`, ':eyes:'));
    await acknowledge(deps, input.value, input.user);
  },
};
export default ack;
