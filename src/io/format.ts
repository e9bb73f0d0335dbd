/**
 * Pure renderers shared by the faces: text in, lines out, colour through a Paint (identity when
 * colour is off). Tested on fixed inputs; the faces only decide where the lines go.
 */
import { relative, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckView, Figure, FooterView } from './host.js';
import type { Paint } from './terminal.js';
import { wrapAnsi } from './word-wrap.js';
import { commandLayout, MIN_WRAP, packed } from './command-lines.js';

export { commandArgs } from './command-lines.js';

export const MAX_WIDTH = 100;
export const MIN_WIDTH = 40;

/** the width prose is wrapped to: the terminal's, within [40, 100]; 80 when unknown */
export function proseWidth(columns: number | undefined): number {
  if (!columns || columns <= 0) return 80;
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns));
}

/**
 * Word wrap to `width` columns (wrap-ansi: colours survive the break, each line closes and reopens
 * them). Words longer than the width stay whole on their own line (a URL, to be clicked), but for
 * a path, which is cut after a `/` as `fitted` cuts it: left whole, the terminal cut a backup's path
 * of 86 columns mid-name (`…/sam-app/templ` / `ate.yaml)`). An infinite width
 * (the plain face) never wraps: a log line stays whole for grep. A line's own leading spaces (hey's
 * indented summary, `  [200] 950 responses`) are kept, on each line it wraps to.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  if (!Number.isFinite(width)) return text.split('\n').map((l) => indent + l);
  return text.split('\n').flatMap((para) => {
    const lead = indent + LEADING_SPACES.exec(para)![0];
    const cols = Math.max(MIN_WRAP, width - lead.length);
    return wrapWords(para.trimStart(), cols).map((l) => lead + l);
  });
}

/**
 * wrap-ansi at words, where a `code span` (a backquoted command) is one word: pasted, a command
 * broken across two lines runs as two (`reset --workspace` with no value, then the path). A span
 * that does not fit on the line goes whole to the next; one wider than the line overflows on a line
 * of its own, as a long URL does. Its spaces are held as no-break spaces while wrap-ansi breaks at
 * plain ones, then given back. So is the space of a share (`10 %`): step 2's title broke as
 * `…version 2, 10` / `% a minute`.
 */
function wrapWords(text: string, cols: number): string[] {
  const held = holdSpans(breakLongWords(text, cols, isPath)).replace(PERCENT, `$1${HELD_SPACE}%`);
  return wrapAnsi(held, cols, { hard: false, trim: true })
    .split('\n')
    .flatMap((l) => overflowingCommand(l, cols) ?? [l.replaceAll(HELD_SPACE, ' ')]);
}

/**
 * A line that is a `command span` wider than the line (wrap-ansi puts such a word alone on a line):
 * the terminal cut it anywhere (`…--workspace /tmp/…/lab-worksp` / `ace`). The command goes on
 * lines of its own as every printed command does (`  $ `, broken between its arguments with ` \`:
 * commandLayout), which pasted is still one command, without its backquotes (a shell runs
 * backquotes as a command substitution) nor the punctuation glued to them (`(`, `),`, `;`). A span
 * with no space (a long path) is no command: it stays as it is.
 */
function overflowingCommand(line: string, cols: number): string[] | undefined {
  if (visibleLength(line) <= cols) return undefined;
  const m = /^([(\[]*)`([^`\n]*\u00A0[^`\n]*)`([)\].,;:]*)$/.exec(line);
  if (!m) return undefined;
  return commandLayout(m[2]!.replaceAll(HELD_SPACE, ' '), cols, '  $ ', '      ');
}

/**
 * A finding's words wider than `cols` columns (`…function:NAME:${stageVariables.lambdaAlias}/invocations`,
 * 98 wide) cut after a `:`, `/` or `,` into pieces that fit, each on a line of its own: left whole,
 * the terminal cut it anywhere (`${stageVariables.la` / `mbdaAlias}`), without the hanging indent.
 * A piece with no such place to cut is cut at the width. Code spans stay whole (they are pasted),
 * and so does prose's: wrap keeps a long URL whole, to be clicked.
 */
export function breakLongWords(text: string, cols: number, only: (word: string) => boolean = () => true): string {
  if (!Number.isFinite(cols)) return text;
  const held = holdSpans(text);
  const broken = held.replace(/\S+/g, (word) => {
    if (word.length <= cols || word.startsWith('`') || !only(word)) return word;
    return packed(word.split(/(?<=[:/,])/), cols, cols).join('\n');
  });
  return broken.replaceAll(HELD_SPACE, ' ');
}

/** a file's path (`/tmp/ws/backups/…/template.yaml)`), not a URL (`https://…`), which stays whole to be clicked */
const isPath = (word: string): boolean => word.includes('/') && !word.includes('://');

const CODE_SPAN = /`[^`\n]+`/g;
/** each `code span`'s spaces held (HELD_SPACE), so that no wrapping breaks inside it */
function holdSpans(text: string): string {
  return text.replace(CODE_SPAN, (span) => span.replaceAll(' ', HELD_SPACE));
}
/** a no-break space: one column wide, as the space it stands for, and no break for wrap-ansi */
const HELD_SPACE = '\u00A0';
/** a figure and its percent sign (`10 %`): one word to the wrapper */
const PERCENT = /(\d) %/g;

const LEADING_SPACES = /^ */;

/** wrap with a hanging indent: the first line at the margin, the next ones under it by `indent` */
export function hang(text: string, width: number, indent: string): string[] {
  if (!Number.isFinite(width)) return [text];
  const [first = '', ...rest] = wrapWords(text, Math.max(MIN_WRAP, width - indent.length));
  return [first, ...rest.map((l) => indent + l)];
}

/**
 * A line of a report at a terminal's width: wrapped at words with a hanging indent (hang), and a word
 * wider than a line (a state dir under a temp folder, `FUNCTION:${stageVariables.lambdaAlias}`) cut
 * after a `:`, `/` or `,` (breakLongWords) under that indent: left whole, the terminal cut it
 * anywhere (`ws1.lC` / `tZ/…`, `lambdaAlia` / `s}`). An infinite width keeps the line whole.
 */
export function fitted(text: string, width: number, indent: string): string[] {
  if (!Number.isFinite(width)) return [text];
  return hang(breakLongWords(text, Math.max(MIN_WRAP, width - indent.length)), width, indent);
}

/**
 * An error as the CLI's boundary says it: `error: what`, its hint under it indented by two. On a
 * terminal (a finite width) both wrap at words, continuations under the indent, and a `command`
 * stays whole: at 80 columns the terminal broke `list`'s hint mid-word (`begi` / `ns`). A command
 * on a line of its own in the hint (`$ …`, lab/check.ts hintCommand) is laid out to paste
 * (proseLines). Piped, each line stays one line, for grep and the tests that read it; a hint of
 * several lines (a list laid out to fit 80 columns) keeps its lines, each under the indent.
 */
export function errorLines(head: string, hint: string | undefined, width: number): string[] {
  if (!Number.isFinite(width)) return [head, ...(hint ? (hint.includes('\n') ? proseLines(hint, width, '  ') : [`  ${hint}`]) : [])];
  return [...head.split('\n').flatMap((l) => hang(l, width, '  ')), ...(hint ? proseLines(hint, width, '  ') : [])];
}

/**
 * Prose with commands to paste in it (a hint's way out): each line of `text` that starts with `$ `
 * (lab/check.ts hintCommand) is a command, to be laid out as every printed command is
 * (commandLines: broken at arguments with ` \`, pasted whole); the other lines are prose, to be
 * wrapped at words. Embedded in a sentence, a command was wrapped as prose: at 80 columns step 6's
 * update-stage went over four lines with no ` \`, and pasted, ran as four. Empty lines are dropped.
 */
export function proseParts(text: string): { prose?: string; command?: string }[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (l.startsWith(COMMAND_MARK) ? { command: l.slice(COMMAND_MARK.length) } : { prose: l }));
}
export const COMMAND_MARK = '$ ';

/**
 * Prose with commands to paste (proseParts) laid out for the terminal: the prose wrapped at words
 * under `indent`, each command on lines of its own as every printed command is (`  $ ` under the
 * indent, broken at arguments with ` \`). An infinite width keeps a line a line, each command on one.
 */
export function proseLines(text: string, width: number, indent = ''): string[] {
  return proseParts(text).flatMap((part) => (part.command !== undefined ? commandLines(part.command, width, `${indent}  $ `, `${indent}      `) : wrap(part.prose!, width, indent)));
}

/**
 * A command to paste as a terminal face prints it: laid out by commandLines (`  $ ` under
 * `indent`, broken at arguments with ` \`), the prompt dim and what runs bold, a note above it
 * (`  # cloud time: …`) dim, as a prompt is.
 */
export function paintedCommand(cmd: string, width: number, p: Paint, indent = ''): string[] {
  const prompt = `${indent}  $ `;
  return commandLines(cmd, width, prompt, `${indent}      `).map((l) =>
    l.startsWith(prompt) ? `${indent}  ${p.dim('$')} ${p.bold(l.slice(prompt.length))}` : l.startsWith(`${indent}  # `) ? p.dim(l) : p.bold(l),
  );
}

/**
 * Prose with commands to paste (proseParts) as a terminal face prints it: the prose wrapped at
 * words, each command painted on lines of its own (paintedCommand). An infinite width keeps a line
 * a line, each command on one: what proseLines gives, with colour where `p` has it.
 */
export function paintedProse(text: string, width: number, p: Paint): string[] {
  return proseParts(text).flatMap((part) => (part.command !== undefined ? paintedCommand(part.command, width, p) : wrap(part.prose!, width)));
}

/**
 * Commands to paste, one per line of `cmd`, each laid out by commandLayout (command-lines.ts:
 * broken only between arguments, with ` \` continuations). A `# …` line (a note above a command)
 * is printed without the prompt, its # where the $ stands (`prefix` ends in `$ `: a comment is not
 * something to run), wrapped at words as a comment of its own on each line.
 */
export function commandLines(cmd: string, width: number, prefix: string, indent: string): string[] {
  const out: string[] = [];
  // a shell comment (a note above a command) is not a command: no prompt, its # where the $ stands
  const note = prefix.replace(/\$ $/, '');
  for (const one of cmd.split('\n').filter((l) => l.trim() !== '')) {
    if (one.startsWith('#')) {
      // wrapped as comments: a ` \` does not continue one, so pasted, a continuation would run as a command
      const lines = Number.isFinite(width) && note.length + one.length > width ? wrap(one.replace(/^#\s*/, ''), width - note.length - 2).map((l) => `# ${l}`) : [one];
      out.push(...lines.map((l) => note + l));
      continue;
    }
    out.push(...commandLayout(one, width, prefix, indent));
  }
  return out;
}

const GLYPH = { passed: '✓', 'not-yet': '✗', 'could-not-check': '?' } as const;

/** One check: the verdict line, then expected/found or what/fix, the hint and the aws command. */
export function formatCheck(v: CheckView, p: Paint, width: number): string[] {
  const colour = v.status === 'passed' ? p.green : v.status === 'not-yet' ? p.red : p.yellow;
  const verdict = v.status === 'passed' ? 'passed' : v.notRun ? 'not run' : v.status === 'not-yet' ? (v.verdict ?? 'not yet') : 'could not check';
  // a finding's long words (a URI) are cut where they may be, under the indent, not by the terminal
  const head = `${colour(GLYPH[v.status])} ${v.name}${v.status === 'passed' && v.found ? p.dim(` — ${breakLongWords(v.found, width - 2)}`) : ''}`;
  const lines = hang(v.status === 'passed' ? head : `${head} ${colour(`(${verdict})`)}`, width, '  ');
  const sub = (label: string, text: string) => lines.push(...wrap(`${label} ${text}`, width, '    '));
  if (v.notRun) sub('because', v.notRun);
  else if (v.status === 'not-yet') {
    if (v.expected !== undefined) sub('expected', breakLongWords(v.expected, width - 4));
    if (v.found !== undefined) sub('found', breakLongWords(v.found, width - 4));
  }
  if (v.status === 'could-not-check') {
    if (v.what) sub('could not', v.what);
    if (v.fix) sub('fix:', v.fix);
  } else if (v.status === 'not-yet' && v.fix) sub('fix:', v.fix);
  if (v.hint && v.status !== 'passed') {
    // a command in the hint on lines of its own, under the hint's words, to be pasted whole
    const parts = proseParts(`hint: ${v.hint}`);
    const hint = parts.flatMap((part) => (part.command !== undefined ? commandLines(part.command, width, '      $ ', '          ') : wrap(part.prose!, width, '    ')));
    lines.push(...hint.map((l) => p.yellow(l)));
  }
  if (v.aws) lines.push(...commandLines(v.aws, width, '    $ ', '        ').map((l) => p.dim(l)));
  // a file check on a pass needs no pointer: the file is named in the footer
  else if (v.file && v.status !== 'passed') lines.push(p.dim(`    in ${v.file}`));
  return lines;
}

export function checkSummaryLine(results: readonly CheckView[]): string {
  const passed = results.filter((r) => r.status === 'passed').length;
  const broken = results.filter((r) => r.status === 'could-not-check').length;
  const base = `${passed} of ${results.length} ${results.length === 1 ? 'check passes' : 'checks pass'}`;
  return broken ? `${base}; ${broken} could not be checked (the environment, not your change)` : base;
}

/**
 * A column that may go on a line of its own: `column`'s cell, when a line a row would be wider than
 * `width`, is printed under its row, indented past the first column; else it stays in the row, as
 * a column of its own or, with `join`, after the cell before it (`deploy — deploy the app`, its
 * header dropped). The lab's step lists (`list`, the lab's l) fold their titles: at 80 columns they
 * were 94 and 82 wide, and the terminal broke them mid-word (`blue-gre` / `en`, `· pend` / `ing`).
 * An infinite width (piped, the plain face) keeps a line a row, for grep.
 */
export interface TableFold {
  column: number;
  width: number;
  join?: string;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], p: Paint, fold?: TableFold): string[] {
  if (fold) {
    const c = fold.column;
    const without = <T>(r: readonly T[]) => [...r.slice(0, c), ...r.slice(c + 1)];
    const joined = (r: readonly string[]) => [...r.slice(0, c - 1), `${r[c - 1]}${fold.join}${r[c]}`, ...r.slice(c + 1)];
    const one = fold.join !== undefined && c > 0 ? formatTable(without(headers), rows.map(joined), p) : formatTable(headers, rows, p);
    if (!Number.isFinite(fold.width) || one.every((l) => visibleLength(l) <= fold.width)) return one;
    const [head = '', ...lines] = formatTable(without(headers), rows.map(without), p);
    const indent = ' '.repeat(Math.max(0, ...rows.map((r) => visibleLength(r[0] ?? ''))) + 4);
    return [head, ...lines.flatMap((l, i) => [l, ...wrap(p.dim(rows[i]![c] ?? ''), fold.width, indent)])];
  }
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => visibleLength(r[i] ?? ''))));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c)))).join('  ').trimEnd();
  return [p.bold(line(headers)), ...rows.map(line)];
}

/**
 * A unified diff with + lines green, - lines red and hunk headers dim, line for line as the diff
 * library wrote it. A line is read by where it stands, as `patch` reads it: inside a hunk (the
 * counts of its `@@ -a,n +b,m @@` header) by its first character, so a removed `-- x` or an added
 * `++ x` is a change and not a file's header; `\ No newline at end of file` stays (dim), or a last
 * line that differs only by its newline would read as the same line removed and added.
 */
export function colourDiff(patch: string, p: Paint): string[] {
  const out: string[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  for (const l of patch.replace(/\n$/, '').split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      if (l.startsWith('-')) {
        oldLeft--;
        out.push(p.red(l));
      } else if (l.startsWith('+')) {
        newLeft--;
        out.push(p.green(l));
      } else if (l.startsWith('\\')) out.push(p.dim(l));
      else {
        oldLeft--;
        newLeft--;
        out.push(l);
      }
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(l);
    if (hunk) {
      oldLeft = Number(hunk[1] ?? 1);
      newLeft = Number(hunk[2] ?? 1);
      out.push(p.dim(l));
    } else if (l.startsWith('===') || l.startsWith('Index: ')) {
      // createTwoFilesPatch's `Index:` and `===` lines name the file the ---/+++ lines name again
    } else if (l.startsWith('---') || l.startsWith('+++')) out.push(p.bold(l));
    else if (l.startsWith('\\')) out.push(p.dim(l));
    else out.push(l);
  }
  return out;
}

export function formatFigures(title: string, figures: readonly Figure[], p: Paint): string[] {
  const w = Math.max(0, ...figures.map(([k]) => k.length));
  return [p.bold(title), ...figures.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)];
}

/**
 * The footer: step k of n, the file to edit, the keys; wrapped onto several lines on a narrow
 * terminal rather than cut.
 */
export function formatFooter(v: FooterView, p: Paint, width: number, opts: { cwd?: string; links?: boolean } = {}): string[] {
  const head = `step ${v.step} of ${v.of} · ${v.title}`;
  const lines = [p.dim('─'.repeat(Math.min(width, 60))), p.bold(head)];
  if (v.file) {
    const shown = displayPath(v.file, opts.cwd);
    lines.push(`edit ${opts.links ? hyperlink(shown, pathToFileURL(v.file).href) : shown}`);
  }
  // keys joined as far as the width allows
  let line = '';
  let len = 0;
  for (const k of v.keys) {
    const item = `${p.bold(k.key)} ${k.label}`;
    const itemLen = k.key.length + 1 + k.label.length;
    if (len > 0 && len + 3 + itemLen > width) {
      lines.push(line);
      line = '';
      len = 0;
    }
    line += len > 0 ? `${p.dim(' · ')}${item}` : item;
    len += (len > 0 ? 3 : 0) + itemLen;
  }
  if (line) lines.push(line);
  return lines;
}

/** a path relative to cwd when it is inside it, else as given */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** OSC 8 terminal hyperlink (terminals without support show the label only). */
export function hyperlink(label: string, url: string): string {
  return `\u001B]8;;${url}\u0007${label}\u001B]8;;\u0007`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m|\u001B\]8;;[^\u0007]*\u0007/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

export function visibleLength(s: string): number {
  return stripAnsi(s).length;
}

/**
 * A line that must stay one row (a turning spinner's text: ora redraws it in place, and a row the
 * terminal wrapped or cut is left behind or lost): whole when it fits `cols`, else cut at the last
 * space that keeps half of it, with `…`. The whole text is said elsewhere (the spinner's last line).
 */
export function oneLine(text: string, cols: number): string {
  const plain = stripAnsi(text).replace(/\s*\n\s*/g, ' ');
  if (!Number.isFinite(cols) || (plain === text && plain.length <= cols)) return text;
  if (plain.length <= cols) return plain;
  const room = Math.max(1, cols - 1);
  const space = plain.lastIndexOf(' ', room);
  return `${(space > room / 2 ? plain.slice(0, space) : plain.slice(0, room)).trimEnd()}…`;
}

/** `10:05:59` in local time, for the plain face's lines (toTimeString's format is fixed, not the locale's) */
export function clockTime(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

/**
 * When something began, in local time and as an age: `14:03:22, 5 min ago`; a day other than
 * today in front (`2026-03-01 14:03:22, 2 d ago`). Never the machine's locale format ("1:28:22 PM"):
 * the same as clockTime on the plain face's lines, and the same on every machine.
 */
export function sinceText(then: Date, now: Date): string {
  const day = (d: Date) => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  const at = day(then) === day(now) ? clockTime(then) : `${day(then)} ${clockTime(then)}`;
  return `${at}, ${age(now.getTime() - then.getTime())} ago`;
}

/** `40 s`, `5 min`, `2 h 5 min`, `3 d`: a clock set back (a negative age) reads as 0 s */
function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A horizontal bar of `width` cells filled to `share` (0..1), for weights and charts. */
export function bar(share: number, width: number): string {
  const n = Math.max(0, Math.min(width, Math.round(share * width)));
  return '█'.repeat(n) + '░'.repeat(width - n);
}
