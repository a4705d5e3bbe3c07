import { describe, expect, it } from 'vitest';
import { parseEndpoint, parseQuestion } from './question.js';

const envs = ['development', 'staging', 'production', 'system'];

describe('questions', () => {
  it('reads "can X reach Y?" and "why can\'t X reach Y?"', () => {
    expect(parseQuestion("can ArgoCD reach production's API?")).toEqual({
      from: 'ArgoCD',
      to: "production's API",
    });
    expect(parseQuestion("Why can't sample-service reach postgres")).toEqual({
      from: 'sample-service',
      to: 'postgres',
    });
    expect(parseQuestion('does CI talk to staging/api-server?')).toEqual({
      from: 'CI',
      to: 'staging/api-server',
    });
    expect(parseQuestion('hello')).toBeUndefined();
  });

  it('maps the words people use onto flow endpoints, with the environment when one is named', () => {
    expect(parseEndpoint("production's API", envs)).toEqual({ env: 'production', name: 'api-server' });
    expect(parseEndpoint('the database of staging', envs)).toEqual({ env: 'staging', name: 'postgres' });
    expect(parseEndpoint('ArgoCD', envs)).toEqual({ name: 'argocd' });
    expect(parseEndpoint('production/sample-service', envs)).toEqual({
      env: 'production',
      name: 'sample-service',
    });
    expect(parseEndpoint('object storage', envs)).toEqual({ name: 'object-storage' });
  });
});
