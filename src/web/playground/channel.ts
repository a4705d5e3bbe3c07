import { renderBlocks } from '../blockkit/render.js';
import { escapeHtml, type Html, html, raw } from '../html.js';

/**
 * The playground's channel view, pure: messages of #platform-infra with their threads, the ephemeral
 * replies the current user sees, an open modal, the composer and the user switcher. Buttons are HTML
 * forms (no client script): a click POSTs to the playground, which delivers it to the bot signed like Slack.
 */
export interface ChannelMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  user: string;
  replies: Array<{ ts: string; text?: string; blocks?: unknown[]; user: string }>;
}

export interface PersonaView {
  key: string;
  id: string;
  name: string;
  role: string;
}

export interface ChannelView {
  channelName: string;
  channelId: string;
  messages: ChannelMessage[];
  ephemerals: Array<{ text?: string; blocks?: unknown[] }>;
  modal?: { id: string; view: Record<string, unknown>; errors?: Record<string, string> };
  personas: PersonaView[];
  current: PersonaView;
  busy: boolean;
  notice?: string;
  userName(id: string): string;
  botUserId: string;
}

function timeOf(ts: string): string {
  const d = new Date(Number(ts.split('.')[0]) * 1000);
  return d.toISOString().slice(11, 16);
}

function messageHtml(
  v: ChannelView,
  m: { ts: string; text?: string; blocks?: unknown[]; user: string },
  channel: string,
): Html {
  const body = m.blocks?.length
    ? renderBlocks(m.blocks, {
        userName: v.userName,
        element: (block, e) => {
          if (e.type !== 'button') return undefined;
          const cls = `btn${e.style ? ` btn-${String(e.style)}` : ''}`;
          const label = escapeHtml(String((e.text as { text?: string })?.text ?? ''));
          // A link button opens its page; Slack also sends the click, which the playground delivers too.
          const link =
            typeof e.url === 'string'
              ? `<a class="${cls}" href="${escapeHtml(e.url)}" data-action="${escapeHtml(String(e.action_id))}">${label}</a>`
              : '';
          if (link) return link;
          return `<form class="inline" method="post" action="/playground/click"><input type="hidden" name="channel" value="${escapeHtml(channel)}"><input type="hidden" name="ts" value="${escapeHtml(m.ts)}"><input type="hidden" name="action" value="${escapeHtml(String(e.action_id))}"><input type="hidden" name="block" value="${escapeHtml(String(block.block_id ?? ''))}"><button type="submit" class="${cls}">${label}</button></form>`;
        },
      })
    : escapeHtml(m.text ?? '');
  const name = m.user === v.botUserId ? 'envc' : v.userName(m.user);
  return html`<div class="msg-head"><strong>${name}</strong>${m.user === v.botUserId ? html` <span class="pill">APP</span>` : ''} <span class="muted">${timeOf(m.ts)}</span></div><div class="msg-body">${raw(body)}</div>`;
}

function modalHtml(v: ChannelView): Html {
  const m = v.modal!;
  const view = m.view;
  const title = String((view.title as { text?: string })?.text ?? '');
  const submit = String((view.submit as { text?: string })?.text ?? 'Submit');
  const close = String((view.close as { text?: string })?.text ?? 'Cancel');
  const blocks = renderBlocks(view.blocks as unknown[], {
    userName: v.userName,
    inputName: (b, a) => `in:${b}:${a}`,
  });
  const errors = Object.entries(m.errors ?? {});
  return html`<div class="backdrop"><div role="dialog" aria-modal="true" aria-labelledby="modal-title" class="modal" data-view="${m.id}">
<h2 id="modal-title">${title}</h2>
${errors.length ? html`<div role="alert" class="errors">${errors.map(([k, e]) => html`<p><strong>${k}</strong>: ${e}</p>`)}</div>` : ''}
<form method="post" action="/playground/submit"><input type="hidden" name="view" value="${m.id}">${raw(blocks)}
<div class="modal-actions"><button type="submit" formaction="/playground/close" formnovalidate class="btn">${close}</button> <button type="submit" class="btn btn-primary">${submit}</button></div></form>
</div></div>`;
}

export const PLAYGROUND_CSS = `
.pg{display:grid;grid-template-columns:220px 1fr;min-height:100vh}.pg aside{background:#3f0e40;color:#fff;padding:12px}
.pg aside a{color:#fff}.pg aside h2{font-size:1em;color:#fff}.chan{font-weight:700}
.pg section.ch{display:flex;flex-direction:column;min-height:100vh}.ch-head{border-bottom:1px solid var(--line);padding:8px 16px}
.ch-msgs{flex:1;padding:8px 16px}.msg{padding:6px 0;border-bottom:1px solid #f0f0f0}.thread{margin:6px 0 0 24px;border-left:3px solid var(--line);padding-left:10px}
.eph{background:#f4f8fd;border-left:3px solid var(--accent);padding:6px 10px;margin:6px 0}
.composer{border-top:1px solid var(--line);padding:10px 16px;display:flex;gap:8px;align-items:center}.composer input{flex:1;padding:6px;font:inherit}
.bk-header{font-weight:700;font-size:1.1em;margin:4px 0}.bk-section{display:flex;gap:8px;margin:4px 0}.bk-main{flex:1}
.bk-fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px}.bk-context{color:var(--muted);font-size:.9em;margin:4px 0}
.bk-divider{border:0;border-top:1px solid var(--line)}.bk-actions{margin:6px 0}.mention{background:#e8f0fb;color:#0b4c8c;border-radius:3px;padding:0 2px}
.backdrop{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center}
.modal{background:#fff;border-radius:8px;padding:16px;width:min(560px,95vw);max-height:90vh;overflow:auto}.modal-actions{text-align:right;margin-top:12px}
.bk-input{display:flex;flex-direction:column;margin:8px 0}.bk-input textarea,.bk-input input,.bk-input select{font:inherit;padding:6px}
.errors{color:#a4161a}.who form{display:flex;flex-direction:column;gap:6px}.who select{font:inherit}
`;

export function channelPage(v: ChannelView): Html {
  return html`<div class="pg">
<aside aria-label="Workspace"><h2>acme (local demo)</h2>
<p class="chan"># ${v.channelName}</p>
<div class="who"><form method="post" action="/playground/as"><label for="as">You are</label>
<select id="as" name="as">${v.personas.map((p) => html`<option value="${p.key}"${p.key === v.current.key ? html` selected` : ''}>${p.name} — ${p.role}</option>`)}</select>
<button class="btn" type="submit">Switch user</button></form></div>
<h2>Pages</h2><ul><li><a href="/plans">Plans</a></li><li><a href="/environments">Environments</a></li><li><a href="/drift">Drift</a></li><li><a href="/access">Access</a></li><li><a href="/audit">Audit log</a></li></ul>
<h2>Demo controls</h2><form method="post" action="/playground/tamper"><label for="tamper-env">Change behind terraform's back</label>
<select id="tamper-env" name="env"><option>production</option><option>staging</option><option>development</option></select>
<button class="btn" type="submit">Make drift</button></form>
</aside>
<section class="ch" aria-labelledby="ch-title"><div class="ch-head"><h1 id="ch-title"># ${v.channelName}</h1>
<p class="muted">Signed in to Slack as <strong data-testid="current-user">${v.current.name}</strong> (${v.current.role}). Every message below was posted by the real bot through the local Slack stand-in.${v.busy ? html` <span role="status">The bot is working…</span>` : ''}</p>
${v.notice ? html`<p role="status" class="eph">${v.notice}</p>` : ''}</div>
<div class="ch-msgs" aria-live="polite">
${v.messages.map(
  (m) =>
    html`<article class="msg" data-ts="${m.ts}">${messageHtml(v, m, v.channelId)}${
      m.replies.length
        ? html`<div class="thread" aria-label="Thread, ${m.replies.length} repl${m.replies.length === 1 ? 'y' : 'ies'}">${m.replies.map((r) => html`<div class="reply" data-ts="${r.ts}">${messageHtml(v, r, v.channelId)}</div>`)}</div>`
        : ''
    }</article>`,
)}
${v.ephemerals.map((e) => html`<div class="eph" data-ephemeral><div class="muted">Only visible to you</div>${messageHtml(v, { ts: `${Date.now() / 1000}`, user: v.botUserId, ...(e.text ? { text: e.text } : {}), ...(e.blocks ? { blocks: e.blocks } : {}) }, v.channelId)}</div>`)}
<div id="bottom"></div></div>
<form class="composer" method="post" action="/playground/slash"><label for="composer">Message #${v.channelName}</label>
<input id="composer" name="text" value="/infra plan production" autocomplete="off"><button class="btn btn-primary" type="submit">Send</button></form>
</section></div>${v.modal ? modalHtml(v) : ''}`;
}
