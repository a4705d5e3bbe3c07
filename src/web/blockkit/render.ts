import { escapeHtml } from '../html.js';
import { type MrkdwnContext, mrkdwn, plainText } from './mrkdwn.js';

/**
 * A small server-side Block Kit renderer for the block types the bot sends (header, section with text,
 * fields and an accessory, context, divider, actions with buttons, input with plain_text_input or
 * static_select in modals). No maintained library renders Block Kit to static HTML on a server (the
 * known ones are React components for the browser), so this stays small and is tested against the bot's
 * real payloads. Unknown block types render as a visible "unsupported" note, never silently dropped.
 */
type Obj = Record<string, unknown>;

export interface RenderOptions extends MrkdwnContext {
  /** Markup for an interactive element (a button as a form); undefined → a disabled look-alike. */
  element?(block: Obj, element: Obj): string | undefined;
  /** Form field name of an input block's element (modals). */
  inputName?(blockId: string, actionId: string): string;
}

function text(t: unknown, o: RenderOptions): string {
  if (!t || typeof t !== 'object') return '';
  const x = t as Obj;
  const s = String(x.text ?? '');
  return x.type === 'mrkdwn' ? mrkdwn(s, o) : plainText(s, x.emoji !== false);
}

function element(block: Obj, e: Obj, o: RenderOptions): string {
  const custom = o.element?.(block, e);
  if (custom !== undefined) return custom;
  if (e.type === 'button') {
    const cls = `btn${e.style ? ` btn-${String(e.style)}` : ''}`;
    if (typeof e.url === 'string' && /^(https?:|\/)/.test(e.url))
      return `<a class="${cls}" href="${escapeHtml(e.url)}">${text(e.text, o)}</a>`;
    return `<button type="button" class="${cls}" disabled>${text(e.text, o)}</button>`;
  }
  if (e.type === 'image')
    return `<img src="${escapeHtml(String(e.image_url ?? ''))}" alt="${escapeHtml(String(e.alt_text ?? ''))}">`;
  if (e.type === 'mrkdwn' || e.type === 'plain_text') return `<span>${text(e, o)}</span>`;
  return `<span class="unsupported">[${escapeHtml(String(e.type))}]</span>`;
}

function input(b: Obj, o: RenderOptions): string {
  const e = (b.element ?? {}) as Obj;
  const blockId = String(b.block_id ?? '');
  const actionId = String(e.action_id ?? '');
  const name = escapeHtml(o.inputName?.(blockId, actionId) ?? `${blockId}:${actionId}`);
  const id = `in-${name.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const label = `<label for="${id}">${text(b.label, o)}${b.optional ? ' <span class="muted">(optional)</span>' : ''}</label>`;
  const hint = b.hint ? `<div class="hint">${text(b.hint, o)}</div>` : '';
  const required = b.optional ? '' : ' required';
  if (e.type === 'static_select') {
    const initial = (e.initial_option as Obj | undefined)?.value;
    const opts = ((e.options ?? []) as Obj[])
      .map((op) => {
        const v = String(op.value ?? '');
        return `<option value="${escapeHtml(v)}"${v === initial ? ' selected' : ''}>${text(op.text, o)}</option>`;
      })
      .join('');
    return `<div class="bk-input">${label}<select id="${id}" name="${name}"${required}>${opts}</select>${hint}</div>`;
  }
  const value = escapeHtml(String(e.initial_value ?? ''));
  const ph = e.placeholder ? ` placeholder="${escapeHtml(String((e.placeholder as Obj).text ?? ''))}"` : '';
  const max = typeof e.max_length === 'number' ? ` maxlength="${e.max_length}"` : '';
  const field = e.multiline
    ? `<textarea id="${id}" name="${name}"${ph}${max}${required}>${value}</textarea>`
    : `<input id="${id}" name="${name}" value="${value}"${ph}${max}${required}>`;
  return `<div class="bk-input">${label}${field}${hint}</div>`;
}

export function renderBlock(b: Obj, o: RenderOptions): string {
  switch (b.type) {
    case 'header':
      return `<div class="bk-header">${text(b.text, o)}</div>`;
    case 'section': {
      const body = b.text ? `<div class="bk-text">${text(b.text, o)}</div>` : '';
      const fields = Array.isArray(b.fields)
        ? `<div class="bk-fields">${(b.fields as Obj[]).map((f) => `<div>${text(f, o)}</div>`).join('')}</div>`
        : '';
      const acc = b.accessory ? `<div class="bk-accessory">${element(b, b.accessory as Obj, o)}</div>` : '';
      return `<div class="bk-section"><div class="bk-main">${body}${fields}</div>${acc}</div>`;
    }
    case 'context':
      return `<div class="bk-context">${((b.elements ?? []) as Obj[]).map((e) => element(b, e, o)).join(' ')}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'actions':
      return `<div class="bk-actions">${((b.elements ?? []) as Obj[]).map((e) => element(b, e, o)).join('')}</div>`;
    case 'input':
      return input(b, o);
    default:
      return `<div class="unsupported">[unsupported block ${escapeHtml(String(b.type))}]</div>`;
  }
}

export function renderBlocks(blocks: readonly unknown[] | undefined, o: RenderOptions): string {
  return (blocks ?? []).map((b) => renderBlock(b as Obj, o)).join('');
}
