// Runs once before any test worker starts: an incremental TypeScript build of the CLI and the
// services, because some tests run the built `lab` and the compiled servers. One build here,
// instead of one per test file, means no two workers ever write dist/ at the same time.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '-b',
      'lab',
      'app/shared',
      'app/catalog',
      'app/orders',
    ],
    { cwd: root, encoding: 'utf8', timeout: 300_000 },
  );
  if (r.status !== 0) {
    throw new Error(
      `the TypeScript build failed (tsc -b), so the tests cannot run:\n${r.stdout}${r.stderr}`,
    );
  }
}
