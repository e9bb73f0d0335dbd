/**
 * What the learner's src/app.mjs does, read from its code (not its comments or strings), for the
 * static checks of the steps that release a new app version: app version 2 waits 3 s, app version
 * 4 throws. Tokenized by js-tokens, as the hook's code is (hook-code.ts): a `setTimeout` or a
 * `throw` in a comment or a string does nothing, and counts for nothing.
 */
import jsTokens from 'js-tokens';

function names(text: string): string[] {
  const out: string[] = [];
  for (const token of jsTokens(text)) if (token.type === 'IdentifierName') out.push(token.value);
  return out;
}

/**
 * the code calls for a timer: `setTimeout` as a name (`setTimeout(resolve, WAIT_MS)`, or imported
 * from node:timers/promises). App version 2's wait is `await new Promise((resolve) =>
 * setTimeout(resolve, WAIT_MS))`; code without a timer answers as soon as Rekognition does.
 */
export function hasTimer(text: string): boolean {
  return names(text).includes('setTimeout');
}

/** how many `throw` statements the code has (the keyword, outside comments and strings) */
export function throwCount(text: string): number {
  return names(text).filter((n) => n === 'throw').length;
}
