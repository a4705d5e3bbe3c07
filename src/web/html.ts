/**
 * HTML for the server-rendered pages: a tagged template that escapes every interpolated value unless it is
 * already `Html` (built by this module), so a plan attribute, a Slack message or a spec path can never
 * inject markup. No template engine: the pages are small and typed, and this keeps them one dependency
 * lighter (docs/adr/0008-web-pages.md).
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function renderPart(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (p instanceof Html) return p.value;
  if (Array.isArray(p)) return p.map(renderPart).join('');
  return escapeHtml(String(p));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += renderPart(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup (only for strings this code built itself, e.g. the renderer's output). */
export function raw(s: string): Html {
  return new Html(s);
}

export function join(parts: readonly Part[], sep = ''): Html {
  return new Html(parts.map(renderPart).join(sep));
}
