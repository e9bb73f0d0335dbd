import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding this package's package.json, found by walking up from `from` (a file of the
 * package: src via dist, or an npx install), never from the working folder; undefined when there
 * is none. The lab (lab/workspace.ts: sam-app/, templates/) and the emulator (Rekognition's
 * bundled samples) both find the package with it.
 */
export function findPackageRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'serverless-ops-lab') return dir;
      } catch {
        // a broken package.json on the way up is not ours; keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
