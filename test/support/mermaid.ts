/**
 * Mermaid's own parser, for tests that must prove generated diagrams parse. Mermaid expects a DOM
 * (DOMPurify sanitizes labels while the flowchart database is filled): a jsdom window is installed as
 * `window`/`document` only (not as a whole test environment, which would replace Node's URL and friends).
 * jsdom rather than happy-dom: under happy-dom DOMPurify drops the text before a `<br/>` in a label.
 */
export interface ParsedFlowchart {
  diagramType: string;
  /** Vertex id → label text. */
  vertices: Map<string, string>;
  edges: Array<{ start: string; end: string; text: string }>;
  subgraphs: Array<{ id: string; title: string; nodes: string[] }>;
}

async function ensureDom(): Promise<void> {
  const g = globalThis as { window?: unknown; document?: unknown };
  if (g.window) return;
  const { JSDOM } = await import('jsdom');
  const dom = new JSDOM('');
  g.window = dom.window;
  g.document = dom.window.document;
}

export async function parseMermaidFlowchart(text: string): Promise<ParsedFlowchart> {
  await ensureDom();
  const { default: mermaid } = await import('mermaid');
  const result = await mermaid.parse(text); // throws on a syntax error, with line and expected tokens
  if (!result) throw new Error('mermaid.parse returned false');
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as {
    getVertices(): Map<string, { id: string; text?: string }>;
    getEdges(): Array<{ start: string; end: string; text?: string }>;
    getSubGraphs(): Array<{ id: string; title: string; nodes: string[] }>;
  };
  return {
    diagramType: result.diagramType,
    vertices: new Map([...db.getVertices()].map(([id, v]) => [id, v.text ?? ''])),
    edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text ?? '' })),
    subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: [...s.nodes] })),
  };
}
