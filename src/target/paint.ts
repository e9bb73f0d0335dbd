/**
 * The few colours deploy and status use, or none: the caller decides with colorEnabled (a
 * terminal, and no NO_COLOR), so the formatters stay pure and testable.
 */
import { Chalk } from 'chalk';

export interface Paint {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function paint(color: boolean): Paint {
  const c = new Chalk({ level: color ? 1 : 0 });
  return { green: (s) => c.green(s), yellow: (s) => c.yellow(s), red: (s) => c.red(s), dim: (s) => c.dim(s), bold: (s) => c.bold(s) };
}
