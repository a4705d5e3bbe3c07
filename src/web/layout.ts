import { type Html, html, raw } from './html.js';

/**
 * The page shell shared by every page: skip link, landmarks, navigation, one stylesheet inline (no asset
 * requests). Colours meet WCAG AA contrast (checked by the axe test); focus is always visible.
 */
export const CSS = `
:root{--fg:#1d1c1d;--muted:#545454;--bg:#fff;--line:#d6d6d6;--accent:#0b5cad;--add:#0a6b2d;--del:#a4161a;--chg:#7a4b00;--side:#3f0e40;}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f5a623;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px;z-index:9}
header.top{display:flex;gap:16px;align-items:center;padding:8px 16px;background:var(--side);color:#fff}
header.top a{color:#fff}header.top nav ul{display:flex;gap:14px;list-style:none;margin:0;padding:0}
main{padding:16px;max-width:1200px}h1{font-size:1.4em;margin:.2em 0 .6em}h2{font-size:1.15em;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}pre{white-space:pre-wrap;background:#f6f6f6;padding:8px;border-radius:4px;overflow:auto}
.muted{color:var(--muted)}.act-create{color:var(--add)}.act-delete,.act-replace{color:var(--del)}.act-update{color:var(--chg)}
.pill{display:inline-block;padding:0 6px;border-radius:8px;border:1px solid currentColor;font-size:.85em}
details.res{border-bottom:1px solid var(--line);padding:4px 0}details.res summary{cursor:pointer}
.masked{font-style:italic;color:var(--muted)}.diff-add{color:var(--add)}.diff-del{color:var(--del)}
form.inline{display:inline}label{font-weight:600}
.btn{display:inline-block;border:1px solid #8d8d8d;background:#fff;color:var(--fg);border-radius:4px;padding:3px 10px;margin:2px 4px 2px 0;font:inherit;cursor:pointer;text-decoration:none}
.btn-primary{background:#007a5a;border-color:#007a5a;color:#fff}.btn-danger{background:#fff;color:#a4161a;border-color:#a4161a}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:end;margin-bottom:12px}.filters div{display:flex;flex-direction:column}
`;

export function page(o: { title: string; body: Html; viewer?: string; nav?: boolean }): string {
  const nav =
    o.nav === false
      ? ''
      : html`<nav aria-label="Pages"><ul>
<li><a href="/environments">Environments</a></li><li><a href="/plans">Plans</a></li><li><a href="/drift">Drift</a></li>
<li><a href="/access">Access</a></li><li><a href="/audit">Audit log</a></li></ul></nav>`;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${o.title} · envc</title><style>${raw(CSS)}</style></head><body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><strong>envc</strong>${nav}${o.viewer ? html`<span class="muted" style="color:#eee;margin-left:auto">${o.viewer}</span>` : ''}</header>
<main id="main">${o.body}</main></body></html>`}`;
}

export function errorPage(status: number, message: string): string {
  return page({ title: `${status}`, body: html`<h1>${status}</h1><p>${message}</p>`, nav: status !== 401 });
}
