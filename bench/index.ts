/**
 * `npm run bench`: runs every `bench/*.bench.ts` module (compiled to dist/bench/) in turn and prints
 * its figures. Benchmarks print numbers and ratios; they never pass or fail on time.
 * `npm run bench -- lambda` runs only the modules whose name contains `lambda`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

// The SDK's notice that its 2027 releases need Node 22 is about the host, not what is measured.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

for (const file of modules) {
  const title = file.replace(/\.bench\.js$/, '');
  process.stdout.write(`\n=== ${title} ${'='.repeat(Math.max(0, 66 - title.length))}\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run(): Promise<void> };
  await mod.run();
}
