/**
 * The learner's PreTraffic hook as their template names it (Hooks: PreTraffic: !Ref <function>,
 * that function's CodeUri and Handler), and the lab's reference hook, which reports what the
 * environment variable HOOK_STATUS says. hooks-failing lets the learner write their own hook; a
 * hook that hard-codes its status (`status: 'Failed'`) ignores HOOK_STATUS, so hooks-alarm's
 * template change (HOOK_STATUS: Succeeded) cannot make it report Succeeded.
 */
import { posix } from 'node:path';
import jsTokens from 'js-tokens';
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
 * status of its own: HOOK_STATUS in its code as a name (`process.env.HOOK_STATUS`,
 * `const { HOOK_STATUS } = process.env`) or as a whole string (`process.env['HOOK_STATUS']`).
 * Not in a comment (`// TODO: read HOOK_STATUS` above a hard-coded `status: 'Failed'` reads
 * nothing), nor inside a longer string (`console.log('HOOK_STATUS is ignored')`).
 *
 * js-tokens tells comments from strings, template literals (and the code in their `${…}`) and
 * regular expression literals, so the `//` of 'https://…' or of /a\/\/b/ opens no comment. It
 * tokenizes any text, broken or unfinished, without throwing: a string ends at its line break, an
 * unclosed comment or template at the end of the text.
 */
export function readsHookStatus(text: string): boolean {
  for (const token of jsTokens(text)) {
    if (token.type === 'IdentifierName' && token.value === 'HOOK_STATUS') return true;
    if ((token.type === 'StringLiteral' || token.type === 'NoSubstitutionTemplate') && token.closed && token.value.slice(1, -1) === 'HOOK_STATUS') return true;
  }
  return false;
}

/** the reference hook (`stepId`'s), exporting `exportName` */
export function referenceHook(text: string, exportName: string): string {
  return exportName === 'handler' ? text : text.replace(/^export const handler =/m, `export const ${exportName} =`);
}
