/**
 * Small pure helpers every builder uses. They enforce Slack's limits at the source (block-kit-limits.json):
 * section text 3000, fields 10 × 2000, button text 75, header 150, 50 blocks per message, 100 per modal,
 * modal title 24 — so a long plan or a long reason is cut with an ellipsis instead of being rejected.
 */
export type Block = Record<string, unknown>;

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  buttonText: 75,
  buttonValue: 2000,
  headerText: 150,
  contextElements: 10,
  modalTitle: 24,
  privateMetadata: 3000,
  /** Fallback `text` of a message: well below the 40,000 truncation point and the 4,000 msg_too_long. */
  fallbackText: 3000,
} as const;

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<@U123>` for user ids, the text itself otherwise (CI actors such as `ci@github`). */
export function who(actor: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(actor) ? `<@${actor}>` : `\`${esc(actor)}\``;
}

/** Slack's date formatting (`<!date^…>`) renders in each reader's time zone, with a fallback. */
export function when(d: Date): string {
  const secs = Math.floor(d.getTime() / 1000);
  return `<!date^${secs}^{date_short_pretty} {time}|${d.toISOString()}>`;
}

export function shortDigest(digest: string): string {
  return digest.slice(0, 12);
}

export function section(text: string, extra: Block = {}): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text || ' ', LIMITS.sectionText) },
    ...extra,
  };
}

export function fields(items: string[]): Block {
  return {
    type: 'section',
    fields: items
      .slice(0, LIMITS.fields)
      .map((t) => ({ type: 'mrkdwn', text: truncate(t || ' ', LIMITS.fieldText) })),
  };
}

export function header(text: string): Block {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
  };
}

export function context(...texts: string[]): Block {
  return {
    type: 'context',
    elements: texts
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn', text: truncate(t || ' ', LIMITS.sectionText) })),
  };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Block {
  const b: Block = {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: truncate(value, LIMITS.buttonValue),
  };
  if (style) b.style = style;
  return b;
}

export function actions(blockId: string, elements: Block[]): Block {
  return { type: 'actions', block_id: blockId, elements };
}

/** A modal with a submit button: its private metadata travels back with the submission. */
export function formModal(o: {
  callbackId: string;
  metadata: string;
  title: string;
  submit: string;
  blocks: Block[];
}): Block {
  return {
    type: 'modal',
    callback_id: o.callbackId,
    private_metadata: truncate(o.metadata, LIMITS.privateMetadata),
    title: { type: 'plain_text', text: truncate(o.title, LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: o.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: o.blocks,
  };
}

/** Joins lines into as few sections as needed, each under the 3000-character limit. */
export function sectionsFromLines(lines: string[], max = LIMITS.sectionText): Block[] {
  const out: Block[] = [];
  let cur = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (cur && cur.length + 1 + line.length > max) {
      out.push(section(cur));
      cur = line;
    } else cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) out.push(section(cur));
  return out;
}

/**
 * Caps a block list at a surface's limit; the last kept block says how much was left out, so a message is
 * never rejected for size and nobody is misled into thinking they saw everything.
 */
export function capBlocks(blocks: Block[], max: number): Block[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(`… ${blocks.length - kept.length} more block(s) not shown`)];
}

/** A message payload: blocks within the message limit plus plain fallback text for notifications. */
export interface MessageContent {
  text: string;
  blocks: Block[];
}

export function message(text: string, blocks: Block[]): MessageContent {
  return { text: truncate(text, LIMITS.fallbackText), blocks: capBlocks(blocks, LIMITS.messageBlocks) };
}
