#!/usr/bin/env node
// The published entry point: runs the esbuild bundle (no TypeScript loader at run time).
import('../dist/cli/main.js').then((m) => m.run(process.argv.slice(2)));
