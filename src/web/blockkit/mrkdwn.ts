import { escapeHtml } from '../html.js';

/**
 * Slack mrkdwn → HTML, for the block types' text objects: `*bold*`, `_italic_`, `~strike~`, `` `code` ``,
 * ```` ``` ```` blocks, `<url|label>` links, `<@U…>` mentions, `<!date^…|fallback>`, `<!here>`, `:emoji:`
 * and Slack's three entity escapes. Everything else is text and is HTML-escaped. Pure.
 */
export interface MrkdwnContext {
  /** Display name of a user id (`<@U123>` → `@rita`). */
  userName(id: string): string;
}

/** The emoji the bot's messages use; anything else shows as its `:name:` text. */
const EMOJI: Record<string, string> = {
  hourglass: '⌛',
  white_check_mark: '✅',
  gear: '⚙️',
  rocket: '🚀',
  x: '❌',
  no_entry: '⛔',
  alarm_clock: '⏰',
  fast_forward: '⏩',
  warning: '⚠️',
  rotating_light: '🚨',
  lock: '🔒',
  unlock: '🔓',
  key: '🔑',
  mag: '🔍',
  bell: '🔔',
  zzz: '💤',
  heavy_check_mark: '✔️',
  large_green_circle: '🟢',
  red_circle: '🔴',
  large_yellow_circle: '🟡',
  white_circle: '⚪',
  arrows_counterclockwise: '🔄',
  information_source: 'ℹ️',
  clipboard: '📋',
  construction: '🚧',
  eyes: '👀',
  wrench: '🔧',
  hammer_and_wrench: '🛠️',
  boom: '💥',
  stopwatch: '⏱️',
  shield: '🛡️',
  link: '🔗',
};

const unescapeSlack = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function angle(token: string, ctx: MrkdwnContext): string {
  const [target = '', label] = token.split('|', 2) as [string, string | undefined];
  if (target.startsWith('@')) {
    return `<span class="mention">@${escapeHtml(ctx.userName(target.slice(1)))}</span>`;
  }
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!date^')) {
    const secs = Number(target.split('^')[1]);
    const iso = Number.isFinite(secs) ? new Date(secs * 1000).toISOString() : (label ?? '');
    const shown = iso.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
    return `<time datetime="${escapeHtml(iso)}">${escapeHtml(shown)}</time>`;
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">@${escapeHtml(label ?? 'group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const href = unescapeSlack(target);
  const safe = /^(https?:|mailto:|\/)/.test(href) ? href : '#';
  return `<a href="${escapeHtml(safe)}">${escapeHtml(unescapeSlack(label ?? href))}</a>`;
}

function inline(text: string, ctx: MrkdwnContext): string {
  const held: string[] = [];
  const hold = (h: string) => `\uE000${held.push(h) - 1}\uE000`;
  let s = text.replace(/`([^`\n]+)`/g, (_, c: string) =>
    hold(`<code>${escapeHtml(unescapeSlack(c))}</code>`),
  );
  s = s.replace(/<([^<>\n]+)>/g, (_, t: string) => hold(angle(t, ctx)));
  s = escapeHtml(unescapeSlack(s));
  s = s
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<del>$2</del>')
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) =>
      EMOJI[name] ? `<span role="img" aria-label="${name.replace(/_/g, ' ')}">${EMOJI[name]}</span>` : m,
    )
    .replace(/\n/g, '<br>');
  return s.replace(/\uE000(\d+)\uE000/g, (_, i: string) => held[Number(i)]!);
}

export function mrkdwn(text: string, ctx: MrkdwnContext): string {
  const parts = text.split('```');
  return parts
    .map((p, i) =>
      i % 2 === 1 ? `<pre>${escapeHtml(unescapeSlack(p.replace(/^\n/, '')))}</pre>` : inline(p, ctx),
    )
    .join('');
}

/** plain_text objects: escaped, emoji shortcodes shown when `emoji` is set (Slack's default). */
export function plainText(text: string, emoji = true): string {
  const s = escapeHtml(text);
  return emoji ? s.replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m) : s;
}
