/** Runs `fn` over items with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** `system` alone first (the others depend on what it hosts), then the rest in parallel. */
export async function systemFirst<R>(
  envs: readonly string[],
  limit: number,
  fn: (env: string) => Promise<R>,
): Promise<R[]> {
  if (!envs.includes('system') || envs.length === 1) return mapLimit(envs, limit, fn);
  const first = await fn('system');
  const rest = await mapLimit(
    envs.filter((e) => e !== 'system'),
    limit,
    fn,
  );
  return [first, ...rest];
}
