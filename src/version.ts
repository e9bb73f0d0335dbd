import { readFileSync } from 'node:fs';

/**
 * The package version, read once (dist/src/ → package.json): `--version`, the lab's report and
 * `doctor` on the CLI side, the health answer and the start line in the emulator.
 */
export const labVersion: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
