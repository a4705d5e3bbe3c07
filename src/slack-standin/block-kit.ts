import { reference } from './reference.js';

/**
 * Checks Block Kit payloads against shared/reference/slack/block-kit-limits.json: every number below is read
 * from that file, so the fake rejects what Slack rejects (50 blocks per message, 3000-character sections,
 * 75-character button text, 100 blocks and a 24-character title per modal, ...). A problem is reported with
 * the JSON pointer Slack uses in its `[ERROR] ... [json-pointer:/blocks/0/text/text]` messages.
 */
export interface Problem {
  pointer: string;
  message: string;
}

export type Surface = 'message' | 'modal' | 'home';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly problems: Problem[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: limits JSON
  readonly L: any = reference().blocks;

  fail(pointer: string, message: string): void {
    this.problems.push({ pointer, message });
  }

  /** A text object; `types` limits plain_text / mrkdwn; `max` overrides the generic 3000. */
  text(v: unknown, ptr: string, types: string[], max?: number): void {
    if (!isObj(v)) {
      this.fail(ptr, 'must be a text object');
      return;
    }
    const type = v.type;
    if (typeof type !== 'string' || !types.includes(type)) {
      this.fail(`${ptr}/type`, `must be one of ${types.join(', ')} (got ${JSON.stringify(type)})`);
      return;
    }
    const text = v.text;
    if (typeof text !== 'string') {
      this.fail(`${ptr}/text`, 'must be a string');
      return;
    }
    const min = this.L.text_objects.generic_text_min_length as number;
    const limit = max ?? (this.L.text_objects.generic_text_max_length as number);
    if (text.length < min) this.fail(`${ptr}/text`, `must be at least ${min} character(s)`);
    if (text.length > limit) this.fail(`${ptr}/text`, `must be less than ${limit + 1} characters`);
    const allowed = type === 'plain_text' ? ['type', 'text', 'emoji'] : ['type', 'text', 'verbatim'];
    for (const k of Object.keys(v))
      if (!allowed.includes(k)) this.fail(`${ptr}/${k}`, `unknown field "${k}" in ${type}`);
  }

  id(v: unknown, ptr: string, max: number, min = 1): void {
    if (v === undefined) return;
    if (typeof v !== 'string') {
      this.fail(ptr, 'must be a string');
      return;
    }
    if (v.length < min || v.length > max) this.fail(ptr, `length must be ${min}..${max}`);
  }

  maxLen(v: unknown, ptr: string, max: number): void {
    if (v === undefined) return;
    if (typeof v !== 'string') {
      this.fail(ptr, 'must be a string');
      return;
    }
    if (v.length > max) this.fail(ptr, `must be less than ${max + 1} characters`);
  }

  count(v: unknown, ptr: string, min: number, max: number): unknown[] {
    if (!Array.isArray(v)) {
      this.fail(ptr, 'must be an array');
      return [];
    }
    if (v.length < min) this.fail(ptr, `must have at least ${min} item(s)`);
    if (v.length > max) this.fail(ptr, `must have no more than ${max} items`);
    return v;
  }

  confirm(v: unknown, ptr: string): void {
    const c = this.L.composition_objects.confirm;
    if (!isObj(v)) {
      this.fail(ptr, 'must be a confirm object');
      return;
    }
    this.text(v.title, `${ptr}/title`, c.title.types, c.title.max_length);
    this.text(v.text, `${ptr}/text`, ['plain_text', 'mrkdwn'], c.text.max_length);
    this.text(v.confirm, `${ptr}/confirm`, c.confirm.types, c.confirm.max_length);
    this.text(v.deny, `${ptr}/deny`, c.deny.types, c.deny.max_length);
    if (v.style !== undefined && !c.style.includes(v.style))
      this.fail(`${ptr}/style`, 'must be primary or danger');
  }

  option(v: unknown, ptr: string, parent: string): void {
    const o = this.L.composition_objects.option;
    if (!isObj(v)) {
      this.fail(ptr, 'must be an option object');
      return;
    }
    const types = o.text.types_by_parent[parent] ?? ['plain_text'];
    this.text(v.text, `${ptr}/text`, types, o.text.max_length);
    if (typeof v.value !== 'string') this.fail(`${ptr}/value`, 'is required');
    else this.maxLen(v.value, `${ptr}/value`, o.value.max_length);
    if (v.description !== undefined)
      this.text(v.description, `${ptr}/description`, o.description.types, o.description.max_length);
    if (v.url !== undefined && parent !== 'overflow')
      this.fail(`${ptr}/url`, 'only allowed in overflow options');
  }

  element(v: unknown, ptr: string, allowed: string[], actionIds: Set<string>): void {
    if (!isObj(v)) {
      this.fail(ptr, 'must be an element object');
      return;
    }
    const type = v.type as string;
    if (!allowed.includes(type)) {
      this.fail(`${ptr}/type`, `element type "${type}" is not allowed here`);
      return;
    }
    const E = this.L.elements;
    if (v.action_id !== undefined) {
      this.id(v.action_id, `${ptr}/action_id`, this.L.identifiers.action_id.max_length);
      if (typeof v.action_id === 'string') {
        if (actionIds.has(v.action_id)) this.fail(`${ptr}/action_id`, `duplicate action_id "${v.action_id}"`);
        actionIds.add(v.action_id);
      }
    }
    if (isObj(v.placeholder) && E[type]?.placeholder) {
      this.text(
        v.placeholder,
        `${ptr}/placeholder`,
        E[type].placeholder.types,
        E[type].placeholder.max_length,
      );
    }
    switch (type) {
      case 'button': {
        this.text(v.text, `${ptr}/text`, E.button.text.types, E.button.text.max_length);
        this.maxLen(v.value, `${ptr}/value`, E.button.value.max_length);
        this.maxLen(v.url, `${ptr}/url`, E.button.url.max_length);
        this.maxLen(
          v.accessibility_label,
          `${ptr}/accessibility_label`,
          E.button.accessibility_label.max_length,
        );
        if (v.style !== undefined && !E.button.style.includes(v.style))
          this.fail(`${ptr}/style`, 'must be primary or danger');
        if (v.confirm !== undefined) this.confirm(v.confirm, `${ptr}/confirm`);
        break;
      }
      case 'static_select':
      case 'multi_static_select': {
        const spec = E[type];
        if (v.options !== undefined && v.option_groups !== undefined)
          this.fail(ptr, 'options or option_groups, not both');
        if (v.options !== undefined) {
          this.count(v.options, `${ptr}/options`, 1, spec.options.max_items).forEach((o, i) => {
            this.option(o, `${ptr}/options/${i}`, type);
          });
        }
        break;
      }
      case 'checkboxes':
      case 'radio_buttons':
      case 'overflow': {
        this.count(v.options, `${ptr}/options`, 1, E[type].options.max_items).forEach((o, i) => {
          this.option(o, `${ptr}/options/${i}`, type);
        });
        break;
      }
      case 'plain_text_input': {
        if (typeof v.min_length === 'number' && v.min_length > E.plain_text_input.min_length.max_value) {
          this.fail(`${ptr}/min_length`, `must be at most ${E.plain_text_input.min_length.max_value}`);
        }
        break;
      }
      case 'image': {
        if (typeof v.alt_text !== 'string') this.fail(`${ptr}/alt_text`, 'is required');
        break;
      }
      default:
        break;
    }
  }

  block(v: unknown, ptr: string, blockIds: Set<string>, surface: Surface): { hasInput: boolean } {
    if (!isObj(v)) {
      this.fail(ptr, 'must be a block object');
      return { hasInput: false };
    }
    const known: string[] = [...this.L.block_types.in_sdk_known_block_union, ...this.L.block_types.docs_only];
    const type = v.type as string;
    if (!known.includes(type)) {
      this.fail(`${ptr}/type`, `unknown block type "${type}"`);
      return { hasInput: false };
    }
    const idL = this.L.identifiers.block_id;
    if (v.block_id !== undefined) {
      this.id(v.block_id, `${ptr}/block_id`, idL.max_length, idL.min_length);
      if (typeof v.block_id === 'string') {
        if (blockIds.has(v.block_id)) this.fail(`${ptr}/block_id`, `duplicate block_id "${v.block_id}"`);
        blockIds.add(v.block_id);
      }
    }
    const B = this.L.blocks;
    const actionIds = new Set<string>();
    switch (type) {
      case 'section': {
        if (v.text === undefined && v.fields === undefined) this.fail(ptr, 'must have text or fields');
        if (v.text !== undefined)
          this.text(v.text, `${ptr}/text`, B.section.text.types, B.section.text.max_length);
        if (v.fields !== undefined) {
          this.count(v.fields, `${ptr}/fields`, 1, B.section.fields.max_items).forEach((f, i) => {
            this.text(f, `${ptr}/fields/${i}`, B.section.fields.item_types, B.section.fields.item_max_length);
          });
        }
        if (v.accessory !== undefined)
          this.element(v.accessory, `${ptr}/accessory`, B.section.accessory.allowed, actionIds);
        break;
      }
      case 'header':
        this.text(v.text, `${ptr}/text`, B.header.text.types, B.header.text.max_length);
        break;
      case 'context': {
        const els = this.count(
          v.elements,
          `${ptr}/elements`,
          B.context.elements.min_items,
          B.context.elements.max_items,
        );
        els.forEach((e, i) => {
          const p = `${ptr}/elements/${i}`;
          if (isObj(e) && e.type === 'image') this.element(e, p, ['image'], actionIds);
          else this.text(e, p, ['plain_text', 'mrkdwn']);
        });
        break;
      }
      case 'actions': {
        const els = this.count(
          v.elements,
          `${ptr}/elements`,
          B.actions.elements.min_items,
          B.actions.elements.max_items,
        );
        els.forEach((e, i) => {
          this.element(e, `${ptr}/elements/${i}`, B.actions.elements.allowed, actionIds);
        });
        break;
      }
      case 'divider':
        for (const k of Object.keys(v))
          if (k !== 'type' && k !== 'block_id') this.fail(`${ptr}/${k}`, 'divider takes no fields');
        break;
      case 'input': {
        if (surface === 'message') this.fail(ptr, 'input blocks are only allowed in modals and Home tabs');
        this.text(v.label, `${ptr}/label`, B.input.label.types, B.input.label.max_length);
        if (v.hint !== undefined)
          this.text(v.hint, `${ptr}/hint`, B.input.hint.types, B.input.hint.max_length);
        if (!isObj(v.element)) this.fail(`${ptr}/element`, 'is required');
        else this.element(v.element, `${ptr}/element`, B.input.element.allowed, actionIds);
        return { hasInput: true };
      }
      case 'markdown':
        this.maxLen(v.text, `${ptr}/text`, B.markdown.text.max_length);
        if (typeof v.text !== 'string') this.fail(`${ptr}/text`, 'is required');
        break;
      case 'image':
        if (typeof v.alt_text !== 'string') this.fail(`${ptr}/alt_text`, 'is required');
        else this.maxLen(v.alt_text, `${ptr}/alt_text`, B.image.alt_text.max_length);
        break;
      default:
        break;
    }
    return { hasInput: false };
  }

  blocks(blocks: unknown, ptr: string, surface: Surface): { hasInput: boolean } {
    const max = this.L.surfaces[surface].max_blocks as number;
    const list = this.count(blocks, ptr, 0, max);
    const ids = new Set<string>();
    let hasInput = false;
    list.forEach((b, i) => {
      if (this.block(b, `${ptr}/${i}`, ids, surface).hasInput) hasInput = true;
    });
    return { hasInput };
  }
}

/** Problems in a list of blocks for one surface. */
export function checkBlocks(blocks: unknown, surface: Surface = 'message', pointer = '/blocks'): Problem[] {
  const c = new Checker();
  c.blocks(blocks, pointer, surface);
  return c.problems;
}

/** Problems in a view (modal or home) as passed to views.open / views.update / views.publish. */
export function checkView(view: unknown): Problem[] {
  const c = new Checker();
  const V = c.L.view;
  if (!isObj(view)) return [{ pointer: '/view', message: 'must be an object' }];
  const type = view.type;
  if (type !== 'modal' && type !== 'home')
    return [{ pointer: '/view/type', message: 'must be modal or home' }];
  const { hasInput } = c.blocks(view.blocks, '/view/blocks', type);
  if (type === 'modal') {
    c.text(view.title, '/view/title', V.modal.title.types, V.modal.title.max_length);
    if (view.submit !== undefined)
      c.text(view.submit, '/view/submit', V.modal.submit.types, V.modal.submit.max_length);
    else if (hasInput) c.fail('/view/submit', 'a modal with input blocks needs submit');
    if (view.close !== undefined)
      c.text(view.close, '/view/close', V.modal.close.types, V.modal.close.max_length);
  }
  c.maxLen(view.private_metadata, '/view/private_metadata', V.private_metadata_max);
  c.maxLen(view.callback_id, '/view/callback_id', V.callback_id_max);
  c.maxLen(view.external_id, '/view/external_id', V.external_id_max);
  const size = Buffer.byteLength(JSON.stringify(view));
  if (size > V.max_payload_bytes_approx)
    c.fail('/view', `view is ${size} bytes, over ${V.max_payload_bytes_approx}`);
  let focus = 0;
  JSON.stringify(view, (k, v) => {
    if (k === 'focus_on_load' && v === true) focus += 1;
    return v;
  });
  if (focus > 1) c.fail('/view', 'at most one element may set focus_on_load');
  return c.problems;
}

/**
 * Problems in a message's content (chat.postMessage / chat.update / chat.postEphemeral / response_url):
 * content present, markdown_text exclusivity and size, attachments count, the blocks themselves.
 * `warnings` are what Slack accepts but a careful app should not send (over-long text is truncated).
 */
export function checkMessage(args: Record<string, unknown>): {
  errors: Problem[];
  warnings: Problem[];
  code?: string;
} {
  // biome-ignore lint/suspicious/noExplicitAny: limits JSON
  const M: any = reference().blocks.message;
  const warnings: Problem[] = [];
  const has = (k: string) => args[k] !== undefined && args[k] !== null && args[k] !== '';
  if (!has('text') && !has('blocks') && !has('attachments') && !has('markdown_text')) {
    return { errors: [{ pointer: '/', message: 'no message content' }], warnings, code: 'no_text' };
  }
  if (has('markdown_text')) {
    if (M.markdown_text_exclusive_with.some((k: string) => has(k))) {
      return {
        errors: [{ pointer: '/markdown_text', message: 'conflicts with text/blocks' }],
        warnings,
        code: 'markdown_text_conflict',
      };
    }
    if (String(args.markdown_text).length > M.markdown_text_max) {
      return {
        errors: [{ pointer: '/markdown_text', message: `over ${M.markdown_text_max}` }],
        warnings,
        code: 'msg_too_long',
      };
    }
  }
  if (Array.isArray(args.attachments) && args.attachments.length > M.attachments_max) {
    return {
      errors: [{ pointer: '/attachments', message: `over ${M.attachments_max}` }],
      warnings,
      code: 'too_many_attachments',
    };
  }
  if (typeof args.text === 'string' && args.text.length > M.text_truncated_after_chars) {
    warnings.push({
      pointer: '/text',
      message: `text over ${M.text_truncated_after_chars} characters is truncated`,
    });
  }
  if (has('blocks') && !has('text')) {
    warnings.push({
      pointer: '/text',
      message: 'blocks without fallback text (notifications and screen readers)',
    });
  }
  if (has('blocks')) {
    const errors = checkBlocks(args.blocks, 'message');
    if (errors.length > 0) return { errors, warnings, code: 'invalid_blocks' };
  }
  return { errors: [], warnings };
}
