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

/** a number as JS writes it (`3000`, `3_000`, `3e3`); undefined for anything else */
function numberOf(token: string): number | undefined {
  const n = Number(token.replace(/_/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * How long the code's timers wait, in ms, where the code says it plainly: `setTimeout(resolve,
 * 3000)`, or a name declared as a number (`const WAIT_MS = 3000;`), or none (`setTimeout(resolve)`,
 * which waits 0). node:timers/promises' `setTimeout(3000)` takes the delay first. Undefined when a
 * timer's delay is anything else (an expression, a value from the environment): the live check,
 * which times an answer, decides then.
 */
export function timerWaits(text: string): number[] | undefined {
  const tokens = [...jsTokens(text)].filter((t) => t.type !== 'WhiteSpace' && t.type !== 'LineTerminatorSequence' && t.type !== 'MultiLineComment' && t.type !== 'SingleLineComment');
  const declared = new Map<string, number | undefined>();
  for (let i = 0; i + 3 < tokens.length; i++) {
    if (!['const', 'let', 'var'].includes(tokens[i].value) || tokens[i + 1].type !== 'IdentifierName' || tokens[i + 2].value !== '=') continue;
    const after = tokens[i + 4]?.value;
    const plain = tokens[i + 3].type === 'NumericLiteral' && (after === undefined || after === ';' || after === ',' || tokens[i + 4].type === 'IdentifierName');
    declared.set(tokens[i + 1].value, plain ? numberOf(tokens[i + 3].value) : undefined);
  }
  const promises = tokens.some((t) => t.type === 'StringLiteral' && /^['"](node:)?timers\/promises['"]$/.test(t.value));
  const waits: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'IdentifierName' || tokens[i].value !== 'setTimeout' || tokens[i + 1]?.value !== '(') continue;
    // the call's arguments, split at its own commas
    const args: (typeof tokens)[] = [[]];
    let depth = 0;
    let j = i + 2;
    for (; j < tokens.length; j++) {
      const v = tokens[j].value;
      if (v === '(' || v === '[' || v === '{') depth++;
      else if (v === ')' || v === ']' || v === '}') {
        if (depth === 0) break;
        depth--;
      } else if (v === ',' && depth === 0) {
        args.push([]);
        continue;
      }
      args[args.length - 1].push(tokens[j]);
    }
    const delay = args[promises ? 0 : 1];
    if (delay === undefined || delay.length === 0) waits.push(0);
    else if (delay.length === 1 && delay[0].type === 'NumericLiteral') waits.push(numberOf(delay[0].value) ?? NaN);
    else if (delay.length === 1 && delay[0].type === 'IdentifierName' && declared.get(delay[0].value) !== undefined) waits.push(declared.get(delay[0].value)!);
    else return undefined;
    if (Number.isNaN(waits[waits.length - 1])) return undefined;
  }
  return waits;
}

/** a `throw` statement of the code: its tokens, its line (from 1), and whether a try catches it */
export interface ThrowStatement {
  statement: string;
  line: number;
  caught: boolean;
}

/**
 * The code's `throw` statements (throwStatements), each with its line and whether it is caught:
 * written inside the block of a `try` that has a `catch`, where the catch takes what it throws and
 * the function goes on (the handler's catch turns it into an answer). Read from the code as it is
 * written: a throw in a `catch` or `finally` block, or in a `try` with no catch, is not caught by
 * that try; one in a function the try calls is counted as written (outside it).
 */
export function throwsOf(text: string): ThrowStatement[] {
  const all = [...jsTokens(text)];
  let line = 1;
  const tokens: { type: string; value: string; line: number }[] = [];
  for (const t of all) {
    if (t.type !== 'WhiteSpace' && t.type !== 'MultiLineComment' && t.type !== 'SingleLineComment') tokens.push({ type: t.type, value: t.value, line });
    line += (t.value.match(/\r\n|[\n\r\u2028\u2029]/g) ?? []).length;
  }
  const code = tokens.filter((t) => t.type !== 'LineTerminatorSequence');
  // the spans (token indexes in `code`) of the blocks of a try that has a catch
  const caughtSpans: [number, number][] = [];
  for (let i = 0; i < code.length; i++) {
    if (code[i].type !== 'IdentifierName' || code[i].value !== 'try' || code[i + 1]?.value !== '{') continue;
    let depth = 0;
    let j = i + 1;
    for (; j < code.length; j++) {
      if (code[j].value === '{') depth++;
      else if (code[j].value === '}' && --depth === 0) break;
    }
    if (code[j + 1]?.value === 'catch') caughtSpans.push([i + 1, j]);
  }
  const out: ThrowStatement[] = [];
  const statements = statementsOf(tokens);
  let n = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i].type !== 'IdentifierName' || code[i].value !== 'throw') continue;
    out.push({ statement: statements[n++], line: code[i].line, caught: caughtSpans.some(([a, b]) => a < i && i < b) });
  }
  return out;
}

/**
 * The code's `throw` statements, each as its tokens up to the statement's end (comments and white
 * space left out): `throw new Error ( 'x' ) ;`. What a change added is what one text has more of
 * than another (addedThrows): a throw the learner's code had already, kept as it was, is not one.
 */
export function throwStatements(text: string): string[] {
  return statementsOf([...jsTokens(text)].filter((t) => t.type !== 'WhiteSpace' && t.type !== 'MultiLineComment' && t.type !== 'SingleLineComment'));
}

function statementsOf(tokens: readonly { type: string; value: string }[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'IdentifierName' || tokens[i].value !== 'throw') continue;
    const parts = ['throw'];
    let depth = 0;
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.type === 'LineTerminatorSequence') {
        // a statement may go on over lines inside brackets, or after an operator; a line end at depth 0 ends it
        if (depth === 0 && parts.length > 1) break;
        continue;
      }
      if (depth === 0 && (t.value === ';' || t.value === '}')) {
        if (t.value === ';') parts.push(';');
        break;
      }
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') depth--;
      parts.push(t.value);
    }
    out.push(parts.join(' '));
  }
  return out;
}

/**
 * How many of `statements` (throw statements of a text: all of them, or those no try catches) are
 * beyond what each earlier version had: a statement counts where the list has more of it than any
 * of `before` (the previous step's code, the learner's own previous version).
 */
export function addedThrows(statements: readonly string[], before: readonly (readonly string[])[]): number {
  const count = (list: readonly string[]) => list.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<string, number>());
  const earlier = before.map(count);
  let added = 0;
  for (const [statement, n] of count(statements)) added += Math.max(0, n - Math.max(0, ...earlier.map((m) => m.get(statement) ?? 0)));
  return added;
}
