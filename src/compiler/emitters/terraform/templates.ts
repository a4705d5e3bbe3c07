/**
 * The Handlebars templates under templates/terraform/, read and compiled once per process. Templates only
 * format: every decision is made in TypeScript and arrives as a view-model object. `strict` makes a missing
 * field an error instead of an empty string; `noEscape` because the output is HCL, not HTML.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { packagePath } from '../../package-root.js';
import { hclString, hclValue } from './hcl.js';

export type Template = (view: object) => string;

let cache: Map<string, Template> | undefined;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.name.endsWith('.hbs')) out.push(full);
  }
  return out.sort();
}

function load(root: string): Map<string, Template> {
  const hb = Handlebars.create();
  hb.registerHelper('hcl', (value: unknown) => hclValue(value));
  hb.registerHelper('str', (value: unknown) => hclString(String(value)));
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value));
  // Left-aligned to a width, the way `terraform fmt` aligns the `=` of consecutive attributes.
  hb.registerHelper('pad', (value: unknown, width: unknown) => String(value).padEnd(Number(width)));
  const templates = new Map<string, Template>();
  for (const file of walk(root)) {
    const name = relative(root, file)
      .split(sep)
      .join('/')
      .replace(/\.hbs$/, '');
    const compiled = hb.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    templates.set(name, (view) => compiled(view));
  }
  return templates;
}

/** The template `templates/terraform/<name>.hbs` (e.g. `modules/lke-cluster/main.tf`). */
export function template(name: string): Template {
  cache ??= load(packagePath('templates/terraform'));
  const t = cache.get(name);
  if (!t) throw new Error(`missing template templates/terraform/${name}.hbs`);
  return t;
}

/** Names of the templates under a folder, e.g. `modules/network/` → `modules/network/main.tf`, … */
export function templatesUnder(prefix: string): string[] {
  cache ??= load(packagePath('templates/terraform'));
  return [...cache.keys()].filter((k) => k.startsWith(prefix)).sort();
}
