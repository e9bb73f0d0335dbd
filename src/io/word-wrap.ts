/**
 * wrap-ansi, loaded when a line is first wrapped at a finite width (a terminal's, or a step's 80
 * columns), not with format.ts: piped, the faces never wrap (an infinite width keeps a line whole),
 * so `status`, `emulator start` or `deploy` into a pipe, as scripts and the tests run them, loaded
 * wrap-ansi and its width tables for nothing, some 50 ms of CPU of each command (`emulator status`
 * 0.245 -> 0.195 s, `status` 0.38 -> 0.32 s). A Node that requires an ES module synchronously and
 * says nothing of it (20.19+, 22.13+, 23.5+) loads it at the first wrap; an older one imports it
 * with this module, as every command did before.
 */
import { createRequire } from 'node:module';
import { requiresEsmQuietly } from './require-esm.js';

export { requiresEsmQuietly };

type WrapAnsi = typeof import('wrap-ansi').default;

const requireHere = createRequire(import.meta.url);
let loaded: WrapAnsi | undefined = requiresEsmQuietly() ? undefined : (await import('wrap-ansi')).default;

/** wrap-ansi's own function, loaded on the first call where it was not loaded with this module */
export function wrapAnsi(text: string, columns: number, options?: Parameters<WrapAnsi>[2]): string {
  loaded ??= (requireHere('wrap-ansi') as typeof import('wrap-ansi')).default;
  return loaded(text, columns, options);
}
