/**
 * The Node.js versions the lab runs on, checked by the entry (src/cli.ts) before anything else is
 * loaded: on Node 18 a dependency's regular expression (string-width's `/v` flag) is a SyntaxError
 * when its module is parsed, so every command, --version too, ended in a stack trace. This module
 * imports nothing and uses nothing newer than Node 12 has, so that it parses where the rest cannot.
 */

/** package.json's `engines.node` (test/cli/node-version.test.ts keeps the two the same) */
export const NODE_ENGINES = '^20.12 || ^22 || ^24 || ^26';

/** the oldest Node.js the lab runs on: the lowest of NODE_ENGINES (doctor names it in its fix) */
export const OLDEST = [20, 12] as const;

/**
 * Why the lab cannot run on Node.js `version` (process.versions.node, `18.20.8`), in one line; or
 * undefined when it can. Only a Node older than the oldest allowed is refused: a newer one (25,
 * 27) runs, as npm's EBADENGINE warning at install lets it.
 */
export function nodeTooOld(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  if (major > OLDEST[0] || (major === OLDEST[0] && minor >= OLDEST[1])) return undefined;
  return `serverless-ops-lab needs Node.js ${OLDEST[0]}.${OLDEST[1]}+, 22, 24 or 26, not ${version}`;
}
