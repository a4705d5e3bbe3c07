import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Demo control: what an engineer with console access does behind terraform's back — here, a resource of
 * the stand-in stack disappears from the state (as if deleted by hand), so the next `/infra drift` finds
 * it. Returns a line for the playground.
 */
export async function tamper(stackDir: string, env: string): Promise<string> {
  const path = join(stackDir, 'terraform.tfstate');
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (!text)
    return `${env} has not been applied yet: apply it first (/infra plan ${env}, approve), then make drift.`;
  const state = JSON.parse(text) as { serial: number; resources: Array<{ module?: string; name: string }> };
  const victim = state.resources.find((r) => r.name.startsWith('linode_firewall')) ?? state.resources[0];
  if (!victim) return `${env} has no resources in its state.`;
  state.resources = state.resources.filter((r) => r !== victim);
  state.serial += 1;
  await writeFile(path, JSON.stringify(state, null, 2));
  return `Someone deleted ${victim.module ? `${victim.module}.` : ''}${victim.name} in ${env} by hand. Now run "/infra drift ${env}".`;
}
