/**
 * Reference changes: for each step that edits sam-app/, the files as they are after the step, in
 * `templates/<step id>/` (plain folders, copied as they are: create-vite's template-*). The state
 * of a file before a step (the step's starting point) is the bundled app's file overlaid by every
 * earlier step's reference, in lab order.
 *
 * "Show me the change" is the diff from the learner's file to what "do it for me" would write
 * (or, where their file is the step's start but for comments, the step's own change);
 * "do it for me" applies the reference diff (before → after) to the learner's file, so their own
 * other edits stay; when it does not apply (they changed the same lines), the reference is written.
 * Whenever a file of the learner's own (any text the lab did not ship) is overwritten, by "do it
 * for me" or by `reset STEP`, it is copied first to a new folder under `<workspace>/backups/`
 * (backups.ts): outside sam-app/, so it is never deployed, and never over an earlier copy.
 */
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FileBackup } from './backups.js';
import { bundledSamApp, packageRoot, readTextFile, writeTextFile, type Workspace } from './workspace.js';

/**
 * jsdiff, required when a diff is first made or applied, not when this module is loaded: the lab's
 * steps load it, and most processes that load them (reset, a test of a step's words) make no diff.
 * Its CommonJS build (the package's `require` export).
 */
export const jsdiff = (): typeof import('diff') => createRequire(import.meta.url)('diff');

/** lines of context around each change in a diff shown to the learner */
export const DIFF_CONTEXT = 1;

/**
 * What each side of a diff shown to the learner is: both sides are the same file, so its name alone
 * (`--- sam-app/template.yaml` / `+++ sam-app/template.yaml`) did not say which was theirs.
 */
export interface DiffSides {
  old: string;
  new: string;
}

/** "show me the change", "do it for me": the learner's file, and it with the step's change */
export const CHANGE_SIDES: DiffSides = { old: 'yours', new: 'with the change' };
/** after a pass, "for comparison": the learner's file, and the lab's reference */
export const COMPARISON_SIDES: DiffSides = { old: 'yours', new: "the lab's" };

/** one sam-app/ file's change as the learner is shown it (DIFF_CONTEXT lines around each change), each side named */
export function samAppPatch(file: string, current: string, next: string, sides: DiffSides = CHANGE_SIDES): string {
  return jsdiff().createTwoFilesPatch(`sam-app/${file} (${sides.old})`, `sam-app/${file} (${sides.new})`, current, next, undefined, undefined, { context: DIFF_CONTEXT });
}

/** a whole-line comment (`# …` in YAML, `// …` in JavaScript) or a blank line: deploys nothing */
const commentOrBlank = (line: string): boolean => /^\s*(#|\/\/|$)/.test(line);

/**
 * samAppPatch without the hunks whose changed lines are all whole-line comments or blank: after a
 * pass, "for comparison" shows where the learner's code differs from the lab's. A file that also
 * differs in code listed every comment of the lab's the learner had kept or reworded too (`#
 * Uncomment in the blue/green step…` above the lines uncommented in step 2); a file that differs
 * only in comments is not compared at all (ReferenceBook.planned). Empty when no hunk is left.
 */
export function samAppCodePatch(file: string, current: string, next: string, sides: DiffSides): string {
  const patch = jsdiff().structuredPatch(`sam-app/${file} (${sides.old})`, `sam-app/${file} (${sides.new})`, current, next, undefined, undefined, { context: DIFF_CONTEXT });
  const hunks = patch.hunks.filter((h) => h.lines.some((l) => (l.startsWith('+') || l.startsWith('-')) && !commentOrBlank(l.slice(1))));
  return hunks.length ? jsdiff().formatPatch({ ...patch, hunks }) : '';
}

/**
 * Two texts of a sam-app/ file that differ only in whole-line comments (`# …` in YAML, `// …` in
 * JavaScript): the lab's comments a learner kept or reworded (`# Uncomment in the blue/green
 * step…` left above the lines they uncommented), which deploy nothing.
 */
export function sameButComments(a: string, b: string): boolean {
  const code = (t: string) => t.split('\n').filter((l) => !/^\s*(#|\/\/)/.test(l) && l.trim() !== '');
  const x = code(a);
  const y = code(b);
  return x.length === y.length && x.every((l, i) => l.trimEnd() === y[i]!.trimEnd());
}

/**
 * The learner's file with what is not the step's change taken as the reference has it, so that a
 * diff from it to the reference shows the step's change alone: where the step's reference diff does
 * not apply to their file ("do it for me" writes the reference), the whole diff from their file
 * listed every comment of theirs the lab words otherwise and every earlier step's choice of theirs
 * the lab made otherwise (a hook's `Resource: '*'` against the lab's ARN). A difference is the
 * step's when a line of it is one the step's change (`before` → `after`) adds or removes; of the
 * others, those in comments alone and those where both sides have lines (their equivalent of the
 * lab's lines) are taken as the reference's; a line the reference has and theirs lacks, or the
 * reverse, stays shown. `left`: whether anything was taken.
 */
export function stepOwnBase(current: string, before: string, after: string): { base: string; left: boolean } {
  const changed = new Set<string>();
  for (const c of jsdiff().diffLines(before, after)) if (c.added || c.removed) for (const l of c.value.split('\n')) if (l.trim()) changed.add(l.trim());
  const parts = jsdiff().diffLines(current, after);
  let base = '';
  let left = false;
  for (let i = 0; i < parts.length; i++) {
    const c = parts[i]!;
    if (!c.added && !c.removed) {
      base += c.value;
      continue;
    }
    // one difference: their lines (removed), then the reference's (added), either side possibly empty
    const theirs = c.removed ? c.value : '';
    const next = c.removed && parts[i + 1]?.added ? parts[++i]!.value : c.added ? c.value : '';
    const lines = `${theirs}${next}`.split('\n').filter((l) => l.trim());
    const stepOwn = lines.some((l) => changed.has(l.trim()));
    const equivalent = !stepOwn && (lines.every(commentOrBlank) || (theirs !== '' && next !== ''));
    if (equivalent) left = true;
    base += equivalent ? next : theirs;
  }
  return { base, left };
}

export function templatesRoot(): string {
  return join(packageRoot(), 'templates');
}

/** One step's reference change: which files of sam-app/ it touches. */
export interface ReferenceEntry {
  stepId: string;
  files: readonly string[];
}

export interface AppliedFile {
  file: string;
  /** 'patched': the reference diff applied to the learner's file; 'replaced': it did not apply; 'unchanged' */
  how: 'patched' | 'replaced' | 'unchanged';
  /** where the learner's own version was copied, when it was theirs (not a text the lab ships) */
  kept?: string;
}

export interface RestoredFiles {
  /** the files written or removed, relative to sam-app/ */
  files: string[];
  /** the folder mirroring sam-app/ that holds the learner's versions, when any was theirs */
  keptIn?: string;
}

export class ReferenceBook {
  readonly #order: readonly ReferenceEntry[];
  readonly #templates: string;
  readonly #bundled: string;

  constructor(order: readonly ReferenceEntry[], dirs: { templates?: string; bundled?: string } = {}) {
    this.#order = order;
    this.#templates = dirs.templates ?? templatesRoot();
    this.#bundled = dirs.bundled ?? bundledSamApp();
  }

  entry(stepId: string): ReferenceEntry | undefined {
    return this.#order.find((e) => e.stepId === stepId);
  }

  /** the file after `stepId`'s change */
  after(stepId: string, file: string): string {
    return readTextFile(join(this.#templates, stepId, file));
  }

  /** the file at the starting point of `stepId` (the bundled app plus every earlier reference change); undefined: no such file yet */
  before(stepId: string, file: string): string | undefined {
    const at = this.#order.findIndex((e) => e.stepId === stepId);
    for (let i = (at < 0 ? this.#order.length : at) - 1; i >= 0; i--) {
      if (this.#order[i]!.files.includes(file)) return this.after(this.#order[i]!.stepId, file);
    }
    const bundled = join(this.#bundled, file);
    return existsSync(bundled) ? readTextFile(bundled) : undefined;
  }

  /**
   * The step's files that are at its starting point (as `reset` leaves them): the text before its
   * change, or that text but for comments, where the change is in code. Its change is then not in
   * the files, whatever the cloud says: a reset does not undo the cloud.
   */
  atStart(stepId: string, ws: Workspace): string[] {
    return (this.entry(stepId)?.files ?? []).filter((file) => {
      const start = this.before(stepId, file);
      const path = join(ws.samApp, file);
      const current = existsSync(path) ? readTextFile(path) : undefined;
      if (start === undefined) return current === undefined;
      const after = this.after(stepId, file);
      return current !== undefined && current !== after && (current === start || (!sameButComments(start, after) && sameButComments(current, start)));
    });
  }

  /** what "do it for me" would write for each file of the step, from the learner's current files */
  planned(stepId: string, ws: Workspace): { file: string; current: string; next: string; how: AppliedFile['how']; before?: string; shownFrom?: string }[] {
    const entry = this.entry(stepId);
    if (!entry) return [];
    return entry.files.map((file) => {
      const path = join(ws.samApp, file);
      const current = existsSync(path) ? readTextFile(path) : '';
      const start = this.before(stepId, file);
      const before = start ?? '';
      const after = this.after(stepId, file);
      if (current === after) return { file, current, next: after, how: 'unchanged' as const };
      // A file the step creates: the reference diff is one hunk that inserts every line, with no
      // context to anchor it, and jsdiff's applyPatch puts it anywhere in a file of the learner's
      // own (inside it, their lines kept around it): the comparison then set their lines against
      // the wrong ones. Their whole file is their version of the reference: compared with it, and
      // replaced by it (their copy kept).
      if (!start && current !== '') return { file, current, next: after, how: 'replaced' as const };
      // the change is already in (the learner made it, or it was applied before): nothing to do
      if (current !== before && jsdiff().applyPatch(current, jsdiff().structuredPatch(file, file, after, before)) !== false) return { file, current, next: current, how: 'unchanged' as const };
      // the same, where the learner's file differs from the reference only in the lab's comments
      // (unless the step's change is itself in comments)
      const inCode = !sameButComments(before, after);
      if (inCode && sameButComments(current, after)) return { file, current, next: current, how: 'unchanged' as const };
      const patched = jsdiff().applyPatch(current, jsdiff().structuredPatch(file, file, before, after));
      if (patched !== false) return { file, current, next: patched, how: 'patched' as const };
      // the step's start but for comments (the lab's, kept or reworded): the change shown is the
      // step's own, not every comment of theirs the reference words otherwise
      if (start !== undefined && inCode && sameButComments(current, start)) return { file, current, next: after, how: 'replaced' as const, before: start };
      // their file differs from the step's start in more than comments (earlier steps made their
      // way): shown from it with what is not this step's change taken as the lab's (stepOwnBase)
      const own = start !== undefined && inCode ? stepOwnBase(current, start, after) : undefined;
      return { file, current, next: after, how: 'replaced' as const, ...(own?.left ? { shownFrom: own.base } : {}) };
    });
  }

  /**
   * "show me the change": one unified diff over the step's files, from the learner's files. One
   * line of context around each change (not diff's usual three): the hunk header gives the line
   * and the learner reads the change, not the file around it.
   */
  diff(stepId: string, ws: Workspace, sides: DiffSides = CHANGE_SIDES): string {
    // the comparison after a pass: where the code differs; "show me the change" shows all that "do it for me" writes
    const patch = sides === COMPARISON_SIDES ? samAppCodePatch : samAppPatch;
    return this.planned(stepId, ws)
      .filter((p) => p.how !== 'unchanged')
      .map((p) =>
        p.before !== undefined
          ? patch(p.file, p.before, p.next, { old: `${sides.old}, but for comments`, new: sides.new })
          : p.shownFrom !== undefined && sides === CHANGE_SIDES
            ? patch(p.file, p.shownFrom, p.next, { old: `${sides.old}, but for comments and earlier steps`, new: sides.new })
            : patch(p.file, p.current, p.next, sides),
      )
      .join('');
  }

  /** "do it for me": writes the planned files (each atomically), the learner's own versions copied first */
  apply(stepId: string, ws: Workspace, backup: FileBackup = new FileBackup(ws, `before-${stepId}`)): AppliedFile[] {
    return this.planned(stepId, ws).map((p) => {
      if (p.how === 'unchanged') return { file: p.file, how: p.how };
      const path = join(ws.samApp, p.file);
      const kept = existsSync(path) && !this.#isLabText(p.file, p.current) ? backup.keep(p.file) : undefined;
      writeTextFile(path, p.next);
      return { file: p.file, how: p.how, kept };
    });
  }

  /**
   * `reset STEP`: brings the files of these steps back to the starting point of the earliest of
   * them that touches each file, the learner's own versions copied first.
   */
  restore(stepIds: readonly string[], ws: Workspace, backup: FileBackup = new FileBackup(ws, `reset-${stepIds[0] ?? 'steps'}`)): RestoredFiles {
    const targets = new Map<string, string | undefined>();
    // lab order, so the first step touching a file sets the text it goes back to
    for (const entry of this.#order.filter((e) => stepIds.includes(e.stepId))) {
      for (const file of entry.files) if (!targets.has(file)) targets.set(file, this.before(entry.stepId, file));
    }
    const files: string[] = [];
    for (const [file, before] of targets) {
      const path = join(ws.samApp, file);
      const current = existsSync(path) ? readTextFile(path) : undefined;
      if (current === before) continue;
      if (current !== undefined && !this.#isLabText(file, current)) backup.keep(file);
      if (before === undefined) rmSync(path, { force: true });
      else writeTextFile(path, before);
      files.push(file);
    }
    return { files, keptIn: backup.dir };
  }

  /** a text the lab ships for this file (bundled, or some step's reference): losing it loses nothing of the learner's */
  #isLabText(file: string, text: string): boolean {
    const bundled = join(this.#bundled, file);
    if (existsSync(bundled) && readTextFile(bundled) === text) return true;
    return this.#order.some((e) => e.files.includes(file) && this.after(e.stepId, file) === text);
  }
}
