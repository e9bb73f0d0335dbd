import { readFileSync } from 'node:fs';

/** the package version, read once (dist/src/emulator/ → package.json) */
export const labVersion: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
