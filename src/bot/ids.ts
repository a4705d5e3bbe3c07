/**
 * Every action_id and callback_id the bot uses, in one place: blocks/ put them on buttons and modals,
 * listeners/ register on them. Values are stable strings (Slack echoes them back; old messages keep them).
 * The rotation/JIT engineer adds theirs in their own modules and registers them the same way.
 */
export const ActionId = {
  approve: 'envc.approval.approve',
  deny: 'envc.approval.deny',
  viewPlan: 'envc.plan.view',
  driftPlanFix: 'envc.drift.plan_fix',
  driftAck: 'envc.drift.ack',
  driftSnooze: 'envc.drift.snooze',
  /** A link button to the plan review page: Slack still sends the click, which only needs an ack. */
  openPlanPage: 'envc.plan.open_page',
} as const;

export const CallbackId = {
  approveConfirm: 'envc.approval.confirm',
  denyConfirm: 'envc.approval.deny_confirm',
  planDetails: 'envc.plan.details',
} as const;

/** Input block and element ids inside modals. */
export const InputId = {
  denyReasonBlock: 'deny_reason',
  denyReasonInput: 'reason',
} as const;

/** Kinds of Slack message references kept in the store (`saveMessageRef(kind, key)`). */
export const MessageKind = {
  /** The approval request message of one plan digest; key `<env>:<digest>`. */
  approval: 'approval',
  /** A plan summary thread; key `<env>:<digest>`. */
  plan: 'plan',
} as const;

/** The slash command the app manifest declares. */
export const SLASH_COMMAND = '/infra';
