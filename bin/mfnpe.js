#!/usr/bin/env node
// The mfnpe command. Runs the compiled library in dist/ (built by `npm install` / `npm run build`);
// falls back to the TypeScript sources through tsx when dist/ is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
let mod;
if (existsSync(compiled) && !process.env.MFNPE_FROM_SOURCE) {
  mod = await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import('../src/cli/main.ts');
}
await mod.cli(process.argv.slice(2));
