/**
 * The one place that decides about colour and live progress, and the only module that imports
 * chalk: colour only on a terminal and never when NO_COLOR is set to anything non-empty
 * (https://no-color.org); live progress only on a terminal. Formatters take the decision as a
 * flag, so they stay pure and testable. (The guided lab's prompt and spinner faces join this
 * folder when it lands.)
 */
import { createRequire } from 'node:module';
import type { ChalkInstance } from 'chalk';
import { requiresEsmQuietly } from './require-esm.js';

export type { ChalkInstance };

export interface Stream {
  readonly isTTY?: boolean;
}

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function progressEnabled(stream: Stream, json: boolean): boolean {
  return stream.isTTY === true && !json;
}

/**
 * chalk, required at the first chalk made (io/require-esm.ts), not with this module: a piped
 * command's paint and the cloud's background log colour nothing and need none (some 20 ms of a
 * command's start); an older Node imports it with the module, as before
 */
const requireHere = createRequire(import.meta.url);
let chalkModule: typeof import('chalk') | undefined = requiresEsmQuietly() ? undefined : await import('chalk');

/** a chalk that colours (basic 16 colours) or passes text through unchanged */
export function chalkFor(color: boolean): ChalkInstance {
  chalkModule ??= requireHere('chalk') as typeof import('chalk');
  return new chalkModule.Chalk({ level: color ? 1 : 0 });
}

/** The few colours the commands' plain-text output uses. */
export interface Paint {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

/** no colour: each text as it is, as a chalk of level 0 gives it back */
const PLAIN: Paint = { green: (s) => s, yellow: (s) => s, red: (s) => s, dim: (s) => s, bold: (s) => s };

export function paint(color: boolean): Paint {
  if (!color) return PLAIN;
  const c = chalkFor(color);
  return { green: (s) => c.green(s), yellow: (s) => c.yellow(s), red: (s) => c.red(s), dim: (s) => c.dim(s), bold: (s) => c.bold(s) };
}
