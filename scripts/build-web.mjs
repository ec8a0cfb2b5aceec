#!/usr/bin/env node
/**
 * Bundles the browser pages: one entry per file in src/web/pages/ → dist/public/<page>.js.
 * The server serves dist/public under /assets and public/ (HTML shells, CSS) at the root.
 * Everything, socket.io-client and preact included, ends up in these files: the CSP allows
 * scripts from our own origin only, and Shine must work without any CDN.
 *
 *   node scripts/build-web.mjs           one production build
 *   node scripts/build-web.mjs --watch   rebuild on change (development)
 */
import { build, context } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pagesDir = join(root, 'src/web/pages');
const entryPoints = readdirSync(pagesDir)
  .filter((f) => f.endsWith('.tsx') || f.endsWith('.ts'))
  .map((f) => join(pagesDir, f));

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints,
  outdir: join(root, 'dist/public'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

if (process.argv.includes('--watch')) {
  const ctx = await context({ ...options, logLevel: 'info' });
  await ctx.watch();
  console.log('build-web: watching src/web for changes');
} else {
  const started = Date.now();
  await build(options);
  console.log(`build-web: ${entryPoints.length} pages bundled into dist/public in ${Date.now() - started} ms`);
}
