/**
 * The learner's PreTraffic hook as their template names it (Hooks: PreTraffic: !Ref <function>,
 * that function's CodeUri and Handler), and the lab's reference hook, which reports what the
 * environment variable HOOK_STATUS says. hooks-failing lets the learner write their own hook; a
 * hook that hard-codes its status (`status: 'Failed'`) ignores HOOK_STATUS, so hooks-alarm's
 * template change (HOOK_STATUS: Succeeded) cannot make it report Succeeded.
 */
import { posix } from 'node:path';
import { workspaceFiles } from '../../lab/check.js';
import type { TemplateValue } from '../../template/index.js';
import { APP_FUNCTION } from './app.js';
import { parsedTemplate } from './template-checks.js';

/** where the reference hook lives (templates/<step>/hooks/pre-traffic.mjs, exporting `handler`) */
export const REFERENCE_HOOK = 'hooks/pre-traffic.mjs';

export interface HookCode {
  /** the hook's code file, relative to sam-app/ */
  file: string;
  /** the export its Handler names (`pre-traffic.handler` → handler) */
  exportName: string;
  /** the file's text; undefined when it does not exist */
  text?: string;
}

function refName(v: TemplateValue | undefined): string | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'Ref' in v) return String((v as { Ref: unknown }).Ref);
  return undefined;
}

/**
 * The PreTraffic hook's code file of sam-app/template.yaml: `<CodeUri>/<module>.mjs` (or .js,
 * .cjs, whichever exists) for `Handler: <module>.<export>`. Undefined when the template does not
 * parse or names no PreTraffic hook function of its own.
 */
export function preTrafficHookCode(samApp: string): HookCode | undefined {
  const files = workspaceFiles(samApp);
  const p = parsedTemplate(files);
  if ('error' in p) return undefined;
  const app = p.template.functions.find((f) => f.logicalId === APP_FUNCTION);
  const id = refName(app?.deploymentPreference?.hooks?.preTraffic);
  const hook = id ? p.template.functions.find((f) => f.logicalId === id) : undefined;
  const dot = hook?.handler.lastIndexOf('.') ?? -1;
  if (!hook || typeof hook.codeUri !== 'string' || !hook.codeUri || dot <= 0) return undefined;
  const module = hook.handler.slice(0, dot);
  const exportName = hook.handler.slice(dot + 1);
  const candidates = ['.mjs', '.js', '.cjs'].map((ext) => posix.normalize(posix.join(hook.codeUri, `${module}${ext}`)));
  // outside sam-app/ (CodeUri: ../x) is not the lab's to touch
  if (candidates[0]!.startsWith('..')) return undefined;
  for (const file of candidates) {
    const text = files.read(file);
    if (text !== undefined) return { file, exportName, text };
  }
  return { file: candidates[0]!, exportName };
}

/**
 * the hook passes on what HOOK_STATUS says (the reference's process.env.HOOK_STATUS), rather than a
 * status of its own: HOOK_STATUS in its code, not only in a comment (`// TODO: read HOOK_STATUS`
 * above a hard-coded `status: 'Failed'` reads nothing)
 */
export function readsHookStatus(text: string): boolean {
  return /\bHOOK_STATUS\b/.test(withoutComments(text));
}

/**
 * JavaScript `text` with its comments blanked (each comment's characters become spaces, its line
 * breaks kept), and everything else as it is: strings, template literals (and the code in their
 * `${…}`) and regular expression literals are read as such, so the `//` of 'https://…' or of
 * /a\/\/b/ starts no comment, nor does a `/*` inside a string. A `/` is a regular expression where
 * a value may start (after `(`, `=`, `return`, …), a division elsewhere (after a name, a number,
 * `)` or `]`), as the grammar decides it:
 * https://tc39.es/ecma262/#sec-ecmascript-language-lexical-grammar
 * A file that is not valid JavaScript comes out changed no more than one line at a time.
 */
export function withoutComments(text: string): string {
  const out: string[] = [];
  let i = 0;
  /** the last token of code before `i` ended a value: a `/` after it is a division */
  let valueEnded = false;

  /** code, up to the `}` that closes a template's `${` (depth 0) when `inTemplate` */
  function code(inTemplate: boolean): void {
    let depth = 0;
    while (i < text.length) {
      const c = text[i]!;
      const next = text[i + 1];
      if (c === '/' && next === '/') {
        const end = text.indexOf('\n', i);
        blank(end === -1 ? text.length : end);
      } else if (c === '/' && next === '*') {
        const end = text.indexOf('*/', i + 2);
        blank(end === -1 ? text.length : end + 2);
      } else if (c === "'" || c === '"') {
        keep(quoted(c));
        valueEnded = true;
      } else if (c === '`') {
        keep(i + 1);
        template();
        valueEnded = true;
      } else if (c === '/' && !valueEnded) {
        keep(regexp());
        valueEnded = true;
      } else if (/\s/.test(c)) {
        keep(i + 1);
      } else if (/[\w$]/.test(c)) {
        let end = i;
        while (end < text.length && /[\w$]/.test(text[end]!)) end++;
        const word = text.slice(i, end);
        keep(end);
        valueEnded = !BEFORE_VALUE.has(word);
      } else {
        if (c === '{') depth++;
        if (c === '}') {
          if (inTemplate && depth === 0) return; // the template's `}`, left to template()
          depth--;
        }
        keep(i + 1);
        valueEnded = c === ')' || c === ']' || c === '}';
      }
    }
  }

  /** a template literal's text from after its opening backtick, through its closing one */
  function template(): void {
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') keep(i + 2);
      else if (c === '`') return keep(i + 1);
      else if (c === '$' && text[i + 1] === '{') {
        keep(i + 2);
        valueEnded = false;
        code(true);
        if (i < text.length) keep(i + 1); // its `}`
      } else keep(i + 1);
    }
  }

  /** where the string opened by `quote` at `i` ends (a line break ends a broken one) */
  function quoted(quote: string): number {
    let j = i + 1;
    while (j < text.length && text[j] !== quote && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, text.length);
  }

  /** where the regular expression literal at `i` ends: its closing `/` (not in a [class]) and flags */
  function regexp(): number {
    let j = i + 1;
    let inClass = false;
    while (j < text.length && text[j] !== '\n') {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) {
        j++;
        while (j < text.length && /[a-z]/i.test(text[j]!)) j++;
        return j;
      }
      j++;
    }
    return j;
  }

  function keep(end: number): void {
    out.push(text.slice(i, end));
    i = Math.min(end, text.length);
  }

  function blank(end: number): void {
    out.push(text.slice(i, end).replace(/[^\n]/g, ' '));
    i = end;
  }

  code(false);
  return out.join('');
}

/** words after which a `/` starts a regular expression, not a division */
const BEFORE_VALUE = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** the reference hook (`stepId`'s), exporting `exportName` */
export function referenceHook(text: string, exportName: string): string {
  return exportName === 'handler' ? text : text.replace(/^export const handler =/m, `export const ${exportName} =`);
}
