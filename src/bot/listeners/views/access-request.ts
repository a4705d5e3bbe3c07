import { formatAccessDuration, parseAccessDuration } from '../../../access/duration.js';
import { requestAccess } from '../../../access/service.js';
import { accessDepsOf } from '../../access-deps.js';
import { AccessCallbackId, AccessInput, type AccessModalLimits } from '../../blocks/access.js';
import { noteMessage } from '../../blocks/help.js';
import type { ViewListener } from '../types.js';

function read(values: Record<string, Record<string, string | undefined>>, block: string): string {
  return (values[block]?.[AccessInput.value] ?? '').trim();
}

/** Submit of the access request modal: checked at once (errors in the modal), then requested. */
const accessRequest: ViewListener = {
  callbackId: AccessCallbackId.request,
  name: 'access-request',
  validate(input) {
    let limits: AccessModalLimits = {};
    try {
      limits = JSON.parse(input.privateMetadata || '{}') as AccessModalLimits;
    } catch {}
    const errors: Record<string, string> = {};
    const env = read(input.values, AccessInput.env);
    const policy = read(input.values, AccessInput.policy);
    const seconds = parseAccessDuration(read(input.values, AccessInput.duration));
    const limit = limits[policy];
    if (limit && env && !limit.envs.includes(env))
      errors[AccessInput.policy] = `${policy} does not cover ${env} (it covers ${limit.envs.join(', ')})`;
    if (seconds === undefined) errors[AccessInput.duration] = 'write a duration such as 30m, 2h or 1h30m';
    else if (limit && seconds > limit.max)
      errors[AccessInput.duration] =
        `${formatAccessDuration(seconds)} is over the maximum of ${policy}: ${limit.maxText}`;
    if (read(input.values, AccessInput.reason).length < 3)
      errors[AccessInput.reason] = 'say why you need access';
    return Object.keys(errors).length > 0 ? { response_action: 'errors', errors } : undefined;
  },
  async run({ deps, input, notify }) {
    const r = await requestAccess(accessDepsOf(deps), {
      requester: input.user,
      env: read(input.values, AccessInput.env),
      target: read(input.values, AccessInput.policy),
      duration: read(input.values, AccessInput.duration),
      reason: read(input.values, AccessInput.reason),
    });
    if (r.kind !== 'success') await notify(noteMessage(`Not requested: ${r.message}`, ':no_entry_sign:'));
  },
};
export default accessRequest;
