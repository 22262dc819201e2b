#!/usr/bin/env node
/**
 * Registers the Jupyter kernel the notebooks name ("mfnpe-tslab"): tslab from this package's own
 * node_modules, started by the same Node.js that runs this script. Idempotent: it rewrites one
 * kernelspec directory and touches nothing else.
 *
 * Where: $JUPYTER_DATA_DIR/kernels, else the per-user Jupyter data directory, which every Jupyter
 * (Debian's python3 packages, pip, conda) searches: ~/.local/share/jupyter on Linux,
 * ~/Library/Jupyter on macOS, %APPDATA%\jupyter on Windows. `--prefix DIR` writes
 * DIR/share/jupyter/kernels instead (for a virtualenv: --prefix "$VIRTUAL_ENV").
 *
 * Why a dedicated kernel rather than `tslab install`: that writes a kernelspec calling a global
 * `tslab` on PATH, which a fresh clone doesn't have; this one pins node and tslab by absolute
 * path, so Jupyter started from any environment runs the versions this package was tested with.
 */
import { mkdirSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KERNEL_NAME = 'mfnpe-tslab';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function dataDir(argv) {
  const i = argv.indexOf('--prefix');
  if (i >= 0) {
    if (!argv[i + 1]) throw new Error('--prefix needs a directory');
    return join(resolve(argv[i + 1]), 'share', 'jupyter');
  }
  if (process.env.JUPYTER_DATA_DIR) return resolve(process.env.JUPYTER_DATA_DIR);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? homedir(), 'jupyter');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
}

function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write('usage: npm run setup:notebooks [-- --prefix DIR]\n');
    return;
  }
  const tslab = join(root, 'node_modules', 'tslab', 'bin', 'tslab');
  if (!existsSync(tslab)) {
    process.stderr.write(`setup:notebooks: ${tslab} is missing: run npm install first\n`);
    process.exit(1);
  }
  // The notebooks load the library's ES modules through tslab's require(): Node >= 20.19 / 22.12.
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19) || (major === 22 && minor < 12) || major === 21) {
    process.stderr.write(
      `setup:notebooks: warning: Node.js ${process.versions.node} cannot require() ES modules; ` + 'the notebooks need Node.js >= 20.19 (20.x) or >= 22.12\n',
    );
  }
  const spec = {
    argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
    // require() of the library's ES modules (Node >= 20.19) prints an ExperimentalWarning on some
    // Node versions; it would land in every notebook's first cell.
    env: { NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
    metadata: { mfnpe_root: root },
  };
  const dir = join(dataDir(argv), 'kernels', KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.kernel.json.${process.pid}`);
  writeFileSync(tmp, JSON.stringify(spec, null, 2) + '\n');
  renameSync(tmp, join(dir, 'kernel.json'));
  process.stdout.write(`registered Jupyter kernel ${KERNEL_NAME} in ${dir}\n`);
}

main();
