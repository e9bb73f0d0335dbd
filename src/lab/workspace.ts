/**
 * A lab lives in one workspace folder: the learner's copy of `sam-app/`, and `.lab/` with the
 * local cloud's state dir and the last deployment record. `reset` wipes exactly that.
 *
 *   lab-workspace/
 *     sam-app/             copied from the package on the first run, then the learner's
 *     .lab/state/          the embedded cloud's state dir
 *     .lab/deploy.json     the last successful deployment
 *     .lab/deployed/       its code packages, to re-create a function the cloud lost (deployers/local/restore.ts)
 *     .lab/names.json      the names the local cloud gave the template's resources
 *     .lab/progress.json   the learner's steps (progress.ts)
 *     .lab/*.json.bak      a copy of each of those three as last written whole (see writeJsonAtomic)
 *     backups/             the learner's files the lab overwrote, one folder per change (backups.ts)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asFileSystemError, ExitCode, FileSystemError, isFileSystemFault, LabError, UsageError } from '../errors.js';
import { shellLine } from '../invocation.js';
import { labCommand } from './outside.js';
import { atomicWrite, makeDirs } from '../files.js';
import { findPackageRoot } from '../package-root.js';
import { nearlySameName, numberedSiblings } from '../nearest.js';

export interface Workspace {
  root: string;
  samApp: string;
  template: string;
  labDir: string;
  stateDir: string;
  deployRecord: string;
  /** the code packages of the last successful deployment (local), by hash */
  deployed: string;
  /** physical names and ids allocated for the workspace (kept even when a deploy fails) */
  names: string;
  /** copies of the learner's files that the lab overwrote, outside sam-app/ so they are never deployed */
  backups: string;
}

/** A workspace is a folder (made when missing); naming a file is a usage error said plainly. */
export function workspacePaths(dir: string): Workspace {
  // resolve('') is the current folder: a --workspace "" (an unset shell variable) would make the lab there
  if (dir.trim() === '') throw new UsageError('--workspace needs a folder, got nothing', 'e.g. --workspace lab-workspace (the default when the flag is left out)');
  const root = resolve(dir);
  checkNotAFile(root);
  const labDir = join(root, '.lab');
  return {
    root,
    samApp: join(root, 'sam-app'),
    template: join(root, 'sam-app', 'template.yaml'),
    labDir,
    stateDir: join(labDir, 'state'),
    deployRecord: join(labDir, 'deploy.json'),
    deployed: join(labDir, 'deployed'),
    names: join(labDir, 'names.json'),
    backups: join(root, 'backups'),
  };
}

/** `--workspace` naming an existing file: say so, rather than the EEXIST or ENOTDIR of a later mkdir */
export function checkNotAFile(root: string): void {
  let isFile = false;
  try {
    isFile = !statSync(root).isDirectory();
  } catch (err) {
    // a path too long, a folder on the way that may not be entered: said now, naming the workspace
    if (isFileSystemFault(err) && err.code !== 'ENOTDIR') throw new FileSystemError(root, err, 'use');
    return; // missing: it will be made (ENOTDIR: part of the path is a file, said when it is made)
  }
  if (isFile) throw new UsageError(`--workspace ${root} is a file, not a folder`, 'name a folder (it is made if missing), e.g. --workspace lab-workspace');
}

/** The folder holding the package's package.json, wherever the CLI runs from (src via dist, or npx). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  const root = findPackageRoot(from);
  if (root === undefined) throw new LabError('cannot find the serverless-ops-lab package folder', undefined, 'reinstall the package');
  return root;
}

export function bundledSamApp(): string {
  return join(packageRoot(), 'sam-app');
}

/** Build output of `sam build` and OS litter: never part of what a learner edits. */
const NOT_COPIED = new Set(['.aws-sam', '.DS_Store', 'Thumbs.db']);

/**
 * true when `dir` holds the bundled app as scaffoldWorkspace copies it, file for file and byte for
 * byte (what is never copied aside): nothing of the learner's is in it, so a whole reset need not
 * keep it. Anything it cannot read counts as different, so in doubt it is kept.
 */
export function sameAsBundled(dir: string, source: string = bundledSamApp()): boolean {
  const entries = (d: string): string[] => readdirSync(d).filter((n) => !NOT_COPIED.has(n)).sort();
  const same = (a: string, b: string): boolean => {
    const sa = statSync(a);
    const sb = statSync(b);
    if (sa.isDirectory() !== sb.isDirectory()) return false;
    if (!sa.isDirectory()) return sa.size === sb.size && readFileSync(a).equals(readFileSync(b));
    const na = entries(a);
    const nb = entries(b);
    return na.length === nb.length && na.every((n, i) => n === nb[i] && same(join(a, n), join(b, n)));
  };
  try {
    return same(dir, source);
  } catch {
    return false;
  }
}

/**
 * A workspace beside `root` whose folder name is a slip from root's (`ws` for `ws-typo`, `lab-worksapce`
 * for `lab-workspace`): a new workspace made there may be a mistyped --workspace, a second lab begun
 * at step 1 beside the learner's. A workspace is a folder with the lab's `.lab/` and `sam-app/`.
 * `series`: a neighbour whose name differs only by a number or date at its end (`/tmp/ci-1` for
 * `/tmp/ci-2`) is no twin: under --ci, an instructor's fresh workspace per run, named on purpose.
 */
export function workspaceTwin(root: string, o: { series?: boolean } = {}): string | undefined {
  const parent = dirname(root);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return undefined;
  }
  const own = basename(root);
  const twin = names.find((n) => nearlySameName(own, n) && !(o.series && numberedSiblings(own, n)) && existsSync(join(parent, n, '.lab')) && existsSync(join(parent, n, 'sam-app')));
  return twin === undefined ? undefined : join(parent, twin);
}

/**
 * Copies the bundled `sam-app/` into the workspace on the first run. Later runs leave the
 * learner's copy alone, edits and all. The copy goes to a temporary sibling first and is renamed
 * into place, so an interrupted first run never leaves half an app that later runs would keep.
 */
export async function scaffoldWorkspace(ws: Workspace, source: string = bundledSamApp()): Promise<{ copied: boolean }> {
  if (existsSync(ws.samApp)) {
    const s = await stat(ws.samApp);
    if (!s.isDirectory()) throw new LabError(`${ws.samApp} exists and is not a folder`, undefined, 'move it away, or pick another --workspace');
    return { copied: false };
  }
  if (!existsSync(join(source, 'template.yaml'))) {
    throw new LabError(`the bundled app is missing: ${join(source, 'template.yaml')}`, undefined, 'reinstall serverless-ops-lab');
  }
  try {
    makeDirs(ws.root);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // the machine refused (permission denied, a read-only disk): exit 3, as for an existing
    // workspace it cannot write (FileSystemError), in its words and with its fix; it was 1
    const at = e.path ?? ws.root;
    const refused = e.code !== 'ENOTDIR' && isFileSystemFault(e) ? new FileSystemError(at, e, 'write') : undefined;
    const why = e.code === 'ENOTDIR' ? 'part of the path is a file' : refused ? refused.message.slice(`cannot write ${at}: `.length) : (e.code ?? e.message);
    const elsewhere = 'pick a folder you can write to with --workspace DIR';
    throw new LabError(`cannot use workspace ${ws.root}: ${why}`, refused ? ExitCode.environment : undefined, refused ? `${refused.hint}; or ${elsewhere}` : elsewhere);
  }
  const tmp = join(ws.root, `.sam-app.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await cp(source, tmp, { recursive: true, filter: (src) => !NOT_COPIED.has(basename(src)) });
    await rename(tmp, ws.samApp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return { copied: true };
}

/**
 * A text file of the learner's or the lab's (sam-app/'s files, the lab's templates): one that
 * cannot be read is the machine's to fix, named with what the system said (FileSystemError, exit 3).
 */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw asFileSystemError(err, path, 'read');
  }
}

/** written whole or not at all (atomicWrite); a failure is the machine's to fix, named (exit 3) */
export function writeTextFile(path: string, text: string): void {
  try {
    atomicWrite(path, text);
  } catch (err) {
    throw asFileSystemError(err, path, 'write');
  }
}

/** the copy of `path` as it was last written whole (writeJsonAtomic) */
export const backupOf = (path: string): string => `${path}.bak`;

/**
 * The deploy record, the names file and the progress file: small JSON, written atomically (see
 * files.ts), each followed by the same text in `<file>.bak`. Atomic writes never leave half a file,
 * but an editor, a copy or a failing disk can; then the .bak holds the last good write, and
 * readJsonFile's message says how to put it back. A failure names the file and what the system
 * said (FileSystemError, exit 3).
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  writeLabFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function writeLabFile(path: string, text: string): void {
  for (const file of [path, backupOf(path)]) writeTextFile(file, text);
}

/**
 * undefined when the file does not exist. A file that cannot be read or is not JSON is the
 * environment's (exit 3), said with what to do for that file: never "delete it" where the file
 * is the only memory of something (see damagedLabFileHint).
 */
export function readJsonFile<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw asFileSystemError(err, path, 'read');
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new LabError(`${path} is not valid JSON${text.trim() === '' ? ' (it is empty)' : ' (cut short or edited?)'}`, ExitCode.environment, damagedLabFileHint(path));
  }
}

/** the good backup of `path`, if its .bak is there and is JSON */
export function goodBackup(path: string): string | undefined {
  const bak = backupOf(path);
  try {
    JSON.parse(readFileSync(bak, 'utf8'));
    return bak;
  } catch {
    return undefined;
  }
}

/**
 * The `cp` that puts back the lab's last good write of `path` from its .bak, when that copy is
 * good; said the same way for a file that does not parse and one of another lab version.
 */
export function lastGoodWriteHint(path: string): string | undefined {
  const bak = goodBackup(path);
  return bak && `the lab keeps a copy of its last good write: \`${shellLine(['cp', bak, path])}\` puts it back`;
}

/** the lab's progress in a workspace's `.lab` folder (progress.ts reads and writes it) */
export const PROGRESS_FILE = 'progress.json';

/**
 * The target progress.json in `labDir` records (where the lab runs); undefined when there is none,
 * or it cannot be read (a damaged one is the reason a command asks). Read here without
 * readJsonFile, whose message for a damaged file asks this function.
 */
export function recordedTarget(labDir: string): 'local' | 'aws' | undefined {
  try {
    const t = (JSON.parse(readFileSync(join(labDir, PROGRESS_FILE), 'utf8')) as { target?: unknown } | null)?.target;
    return t === 'aws' || t === 'local' ? t : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What to do about a damaged `.lab` file: put back its backup when there is a good one; else what
 * that file is for decides. names.json is the only map from the template's logical ids to what
 * the local cloud holds: without it the next deploy makes a second copy of every resource.
 */
export function damagedLabFileHint(path: string): string {
  const putBack = lastGoodWriteHint(path);
  if (putBack) return `${putBack}, then run the command again`;
  const root = dirname(dirname(path));
  // a workspace on AWS: the commands carry --target aws (outside.ts), where progress.json says so
  const where = { workspace: root, target: recordedTarget(dirname(path)) ?? 'local' };
  const moveAway = shellLine(['mv', path, `${path}.broken`]);
  switch (basename(path)) {
    case PROGRESS_FILE:
      return `no good copy is left (${basename(backupOf(path))}): mend it by hand, or \`${moveAway}\` and the lab keeps a new record from the first step (your sam-app/ and the cloud are kept; the steps' record is not)`;
    case 'names.json':
      return `do not delete it: it maps the template's resources to the names the local cloud gave them, and a deploy without it makes a second copy of each. No good copy is left (${basename(backupOf(path))}): mend it by hand, or start the whole lab over with \`${labCommand(['reset'], where)}\` (your sam-app/ is kept)`;
    case 'deploy.json':
      return `no good copy is left (${basename(backupOf(path))}): \`${moveAway}\`, then \`${labCommand(['deploy'], where)}\` writes a new record (what is deployed is found again, not made twice)`;
    default:
      return `move it away (\`${moveAway}\`), then run the command again`;
  }
}
