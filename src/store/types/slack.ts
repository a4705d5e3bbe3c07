export interface MessageRef {
  /** e.g. `plan`, `incident`, `access`, `rotation`. */
  kind: string;
  /** e.g. `production:<digest>` or an incident id. */
  key: string;
  channel: string;
  ts: string;
  updatedAt: Date;
}

/** Slack bookkeeping: idempotency keys and where each message lives. */
export interface SlackStore {
  /** True the first time a key is seen (Slack retries and double clicks are then ignored). */
  rememberSlackRequest(key: string, now?: Date): Promise<boolean>;
  saveMessageRef(ref: { kind: string; key: string; channel: string; ts: string }): Promise<void>;
  getMessageRef(kind: string, key: string): Promise<MessageRef | undefined>;
}
