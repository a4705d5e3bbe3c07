import { readFile, stat } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import type { PriceCatalogue } from '../cost/catalogue.js';
import { loadCatalogue } from '../cost/catalogue-file.js';
import { ENVC_VERSION } from '../version.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { hasErrors, sortDiagnostics } from './diagnostics/diagnostic.js';
import { loadEmitters } from './emitters/index.js';
import type { GeneratedFile } from './emitters/types.js';
import { firstInvalidUtf8 } from './limits.js';
import { loadSpec, MAX_SPEC_BYTES, type SpecSource } from './load.js';
import { buildManifest, manifestFile } from './manifest.js';
import type { Model } from './model.js';
import { normalize } from './normalize.js';
import { runRules } from './rules/index.js';
import { validateSpec } from './validate.js';

/**
 * The compile pipeline: load → validate → normalize → check → emit. Each stage is a function returning
 * values and diagnostics; only write.ts touches the disk, and only the CLI decides to call it.
 */

export interface PipelineOptions {
  /** Today's date (YYYY-MM-DD) for waiver expiry; the CLI passes the real date, tests a fixed one. */
  today?: string;
  /** Name used for the spec in diagnostics and the source map (default: path relative to cwd). */
  displayName?: string;
  /**
   * Name manifest.json records for the spec. It must not depend on the current directory, or the same spec
   * would compile to different trees (and `compile --check` elsewhere would call a fresh tree stale): the CLI
   * passes the path relative to the output's parent; the default is the file's base name.
   */
  sourceName?: string;
  /** The price catalogue for the budget rule (ENVC2025), read lazily; buildModel finds the default one. */
  prices?: () => PriceCatalogue | undefined;
  /**
   * Also check the platform as a whole (bring-up from an empty account, flows across the layers) over the
   * emitted files; its errors, like any other, leave `files` empty so nothing is written.
   */
  verify?: boolean;
}

export interface BuildResult {
  model?: Model;
  source?: SpecSource;
  diagnostics: Diagnostic[];
}

export interface CompileResult extends BuildResult {
  /** Every generated file including manifest.json; empty when any stage reported an error. */
  files: GeneratedFile[];
}

/** The catalogue beside the spec, else the shipped snapshot — read once, and only if a rule asks. */
function defaultPrices(specPath: string): () => PriceCatalogue | undefined {
  let loaded: PriceCatalogue | undefined;
  let tried = false;
  return () => {
    if (!tried) {
      tried = true;
      const r = loadCatalogue({ cwd: process.cwd(), specPath, explicit: process.env.ENVC_PRICES });
      loaded = 'catalogue' in r ? r.catalogue : undefined;
    }
    return loaded;
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Reads the spec file; a missing, unreadable or oversized file is a diagnostic, not an exception. */
export async function readSpec(
  path: string,
  displayName = relative(process.cwd(), path) || path,
): Promise<{ text?: string; diagnostics: Diagnostic[] }> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) {
      return {
        diagnostics: [
          {
            code: 'ENVC0007',
            severity: 'error',
            message: `${JSON.stringify(displayName)} is a directory, not a spec file`,
            file: displayName,
            line: 1,
            column: 1,
            hint: 'pass the path of environments.yaml',
          },
        ],
      };
    }
    if (st.size > MAX_SPEC_BYTES) {
      return {
        diagnostics: [
          {
            code: 'ENVC0003',
            severity: 'error',
            message: `file is ${(st.size / 1024 / 1024).toFixed(1)} MB; envc reads specs of at most ${MAX_SPEC_BYTES / 1024 / 1024} MB`,
            file: displayName,
            line: 1,
            column: 1,
            hint: 'is this the right file? a platform spec is usually well under 1 MB',
          },
        ],
      };
    }
    return decodeSpec(await readFile(path), displayName);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `cannot find ${JSON.stringify(displayName)}`
        : code === 'EACCES'
          ? `cannot read ${JSON.stringify(displayName)}: permission denied`
          : `cannot read ${JSON.stringify(displayName)}: ${(err as Error).message}`;
    const hint =
      code === 'ENOENT'
        ? 'run `envc init` to scaffold one, or pass the path: `envc validate path/to/environments.yaml`'
        : 'check the file permissions';
    return {
      diagnostics: [
        {
          code: code === 'ENOENT' ? 'ENVC0008' : 'ENVC0009',
          severity: 'error',
          message,
          file: displayName,
          line: 1,
          column: 1,
          hint,
        },
      ],
    };
  }
}

/**
 * Bytes → text. Bytes that are not UTF-8 are an error at their position (ENVC0010): Node's decoder would
 * replace them with U+FFFD and that character would reach generated files.
 */
export function decodeSpec(
  bytes: Uint8Array,
  displayName: string,
): { text?: string; diagnostics: Diagnostic[] } {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = Buffer.from(bytes.subarray(0, bad)).toString('utf8');
    const line = before.split('\n').length;
    return {
      diagnostics: [
        {
          code: 'ENVC0010',
          severity: 'error',
          message: `byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad} is not valid UTF-8`,
          file: displayName,
          line,
          column: before.length - before.lastIndexOf('\n'),
          hint: 'save the file as UTF-8; envc does not guess other encodings',
        },
      ],
    };
  }
  return { text: Buffer.from(bytes).toString('utf8'), diagnostics: [] };
}

/** load → validate → normalize → rules, from text. */
export function buildModelFromText(text: string, file: string, opts: PipelineOptions = {}): BuildResult {
  const loaded = loadSpec(file, text);
  if (!loaded.source) return { diagnostics: sortDiagnostics(loaded.diagnostics) };
  const source = loaded.source;
  const schemaDiags = validateSpec(source);
  if (hasErrors(schemaDiags)) {
    // Still report bad references in the same run: normalize is written for valid input, so it may trip over
    // what the schema rejected — then the schema errors alone are reported.
    let refDiags: Diagnostic[] = [];
    try {
      refDiags = normalize(source).diagnostics;
    } catch {
      refDiags = [];
    }
    // A value the schema already refused is not reported again by the value checks.
    const at = new Set(schemaDiags.map((d) => `${d.line}:${d.column}`));
    refDiags = refDiags.filter((d) => !at.has(`${d.line}:${d.column}`));
    return { source, diagnostics: sortDiagnostics([...schemaDiags, ...refDiags]) };
  }
  const norm = normalize(source);
  if (!norm.model) return { source, diagnostics: sortDiagnostics([...schemaDiags, ...norm.diagnostics]) };
  const ruleDiags = runRules(norm.model, {
    today: opts.today ?? today(),
    ...(opts.prices ? { prices: opts.prices } : {}),
  });
  return {
    model: norm.model,
    source,
    diagnostics: sortDiagnostics([...schemaDiags, ...norm.diagnostics, ...ruleDiags]),
  };
}

export async function buildModel(specPath: string, opts: PipelineOptions = {}): Promise<BuildResult> {
  const display = opts.displayName ?? (relative(process.cwd(), specPath) || specPath);
  const read = await readSpec(specPath, display);
  if (read.text === undefined) return { diagnostics: read.diagnostics };
  return buildModelOfSpec(read.text, specPath, { ...opts, displayName: display });
}

/** buildModel on the text readSpec gave for specPath: the price catalogue is the one for that spec. */
export function buildModelOfSpec(text: string, specPath: string, opts: PipelineOptions = {}): BuildResult {
  const display = opts.displayName ?? (relative(process.cwd(), specPath) || specPath);
  return buildModelFromText(text, display, { ...opts, prices: opts.prices ?? defaultPrices(specPath) });
}

/** Runs every emitter over a valid model and adds manifest.json. Emitter diagnostics are collected together. */
export async function emitAll(
  model: Model,
  sourceName: string = model.sourceFile,
): Promise<{ files: GeneratedFile[]; diagnostics: Diagnostic[] }> {
  const files: GeneratedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const emitter of await loadEmitters()) {
    const result = await emitter.emit(model, { envcVersion: ENVC_VERSION });
    diagnostics.push(...result.diagnostics);
    for (const f of result.files) {
      const other = seen.get(f.path);
      if (other) {
        diagnostics.push({
          code: 'ENVC3001',
          severity: 'error',
          message: `emitters "${other}" and "${emitter.name}" both write ${JSON.stringify(f.path)}`,
          hint: 'this is a bug in envc; please report it',
        });
        continue;
      }
      seen.set(f.path, emitter.name);
      files.push(f);
    }
  }
  if (hasErrors(diagnostics)) return { files: [], diagnostics };
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  files.push(manifestFile(buildManifest({ ...model, sourceFile: sourceName }, files, ENVC_VERSION)));
  return { files, diagnostics };
}

export async function compileText(
  text: string,
  file: string,
  opts: PipelineOptions = {},
): Promise<CompileResult> {
  const built = buildModelFromText(text, file, opts);
  if (!built.model || hasErrors(built.diagnostics)) return { ...built, files: [] };
  const emitted = await emitAll(built.model, opts.sourceName ?? basename(file));
  const platform =
    opts.verify && !hasErrors(emitted.diagnostics)
      ? (await import('./platform/verify.js')).verifyPlatform(built.model, emitted.files).diagnostics
      : [];
  const diagnostics = sortDiagnostics([...built.diagnostics, ...emitted.diagnostics, ...platform]);
  return { ...built, files: hasErrors(platform) ? [] : emitted.files, diagnostics };
}

export async function compileSpec(specPath: string, opts: PipelineOptions = {}): Promise<CompileResult> {
  const display = opts.displayName ?? (relative(process.cwd(), specPath) || specPath);
  const read = await readSpec(specPath, display);
  if (read.text === undefined) return { diagnostics: read.diagnostics, files: [] };
  return compileText(read.text, display, { sourceName: basename(specPath), ...opts });
}
