import type { TerraformRun } from '../terraform.js';

/** A terraform step either worked (with its value) or failed with terraform's own error text. */
export type StepResult<T> =
  | { ok: true; value: T; durationMs: number }
  | { ok: false; message: string; exitCode: number };

export function failed(step: string, r: TerraformRun): { ok: false; message: string; exitCode: number } {
  return {
    ok: false,
    message: `terraform ${step} exited ${r.exitCode}: ${errorText(r)}`,
    exitCode: r.exitCode,
  };
}

/** The "Error: …" blocks of terraform's output, else its last lines; bounded so logs stay readable. */
export function errorText(r: Pick<TerraformRun, 'stdout' | 'stderr'>): string {
  const text = `${r.stderr}\n${r.stdout}`;
  const blocks = text
    .split('\n')
    .map((l) => l.replace(/^[│╷╵]\s?/, '').trimEnd())
    .join('\n')
    .split(/\n(?=Error: )/)
    .filter((b) => b.startsWith('Error: '))
    .map((b) => b.trim().split('\n\n')[0]!.replace(/\n+/g, ' '));
  // Terraform repeats one error per provider or per retry ("Failed to query available provider packages"
  // three times): say each kind once, with how many there were.
  const byTitle = new Map<string, { first: string; n: number }>();
  for (const b of blocks) {
    const seen = byTitle.get(b);
    if (seen) seen.n++;
    else byTitle.set(b, { first: b, n: 1 });
  }
  const unique = [...byTitle.values()].map((v) =>
    v.n > 1 ? `${v.first} (and ${v.n - 1} more like it)` : v.first,
  );
  const out = unique.length ? unique.join('; ') : text.trim().split('\n').slice(-5).join(' ');
  return out.length > 1500 ? `${out.slice(0, 1500)}…` : out;
}

export const LOCK_TIMEOUT = '-lock-timeout=120s';
