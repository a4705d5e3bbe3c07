import { sweepApprovals } from '../approval-apply.js';
import type { Job } from './types.js';

/** Every minute: post and audit expired approval requests; finish applies done by CI (message, ArgoCD sync). */
const approvals: Job = {
  name: 'approvals',
  schedule: '* * * * *',
  async run(deps) {
    return sweepApprovals(deps);
  },
};
export default approvals;
