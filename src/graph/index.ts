/** `envc graph`: the platform at a glance, as Mermaid (for Markdown/GitHub) or DOT (for Graphviz). */
import type { Model } from '../compiler/model.js';
import { buildGraph } from './build.js';
import { renderDot } from './dot.js';
import { renderMermaid } from './mermaid.js';

export type GraphFormat = 'mermaid' | 'dot';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

export function renderGraph(model: Model, format: GraphFormat): string {
  const graph = buildGraph(model);
  return format === 'dot' ? renderDot(graph) : renderMermaid(graph);
}

export { buildGraph } from './build.js';
