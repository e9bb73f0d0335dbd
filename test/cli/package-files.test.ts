/**
 * What npm publishes (package.json `files`), as `npm pack` lists it: everything the CLI reads at run
 * time (the bin with its shebang, the emulator's entry, the function runtime's bootstrap, the
 * bundled app and the lab's templates), and nothing only the repository needs (tests, benchmarks,
 * source maps of sources that are not shipped: 293 files, 1.4 MB of the 3.2 MB unpacked).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('npm pack: the bin, the emulator and runtime entries, the bundled app and templates; no tests, benchmarks or source maps', async () => {
  // --ignore-scripts: the package's own build (prepare) is not what is asked here, and dist/ is built
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const files = new Set((JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const bin of Object.values(pkg.bin)) {
    assert.ok(files.has(bin), bin);
    assert.match(readFileSync(join(root, bin), 'utf8'), /^#!\/usr\/bin\/env node\n/, `${bin} starts with its shebang`);
  }
  for (const needed of ['dist/src/emulator/background.cjs', 'dist/src/emulator/main.js', 'dist/src/emulator/services/lambda/runner/worker/bootstrap.js', 'sam-app/template.yaml', 'README.md', 'package.json']) {
    assert.ok(files.has(needed), needed);
  }
  assert.ok([...files].some((f) => f.startsWith('templates/')), 'the lab templates');
  const stray = [...files].filter((f) => f.endsWith('.map') || f.endsWith('.ts') || /^(dist\/)?(test|bench)\//.test(f) || f.includes('.lab/'));
  assert.deepEqual(stray, []);
});
