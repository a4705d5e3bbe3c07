/**
 * The third-party actions the generated workflows use, pinned to a full commit SHA (a tag can be moved; a
 * commit cannot) with the release tag beside it for readers and for Dependabot, which understands the
 * `@<sha> # <tag>` form and proposes upgrades.
 */
export const PINNED_ACTIONS = {
  checkout: { repo: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1' },
  setupNode: { repo: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', tag: 'v7.0.0' },
  setupTerraform: {
    repo: 'hashicorp/setup-terraform',
    sha: 'dfe3c3f87815947d99a8997f908cb6525fc44e9e',
    tag: 'v4.0.1',
  },
  uploadSarif: {
    repo: 'github/codeql-action/upload-sarif',
    sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e',
    tag: 'v4.36.2',
  },
  githubScript: {
    repo: 'actions/github-script',
    sha: 'ed597411d8f924073f98dfc5c65a23a2325f34cd',
    tag: 'v8.0.0',
  },
  uploadArtifact: {
    repo: 'actions/upload-artifact',
    sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f',
    tag: 'v7.0.0',
  },
} as const;

export type ActionName = keyof typeof PINNED_ACTIONS;

/** `actions/checkout@3d3c…b1 # v7.0.1` — the value of a step's `uses:`. */
export function uses(name: ActionName): string {
  const a = PINNED_ACTIONS[name];
  return `${a.repo}@${a.sha} # ${a.tag}`;
}

/** The terraform version CI installs: the one envc is tested with. */
export const CI_TERRAFORM_VERSION = '1.11.4';
/** The Node line CI runs envc on: 24, the reference runtime (package.json engines: >= 22.5). */
export const CI_NODE_VERSION = '24';
