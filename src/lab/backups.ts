/**
 * Copies of the learner's sam-app/ files that the lab is about to overwrite ("do it for me",
 * catching up, `reset STEP`). Each such change gets its own folder, never reused, beside sam-app/
 * and not in it: a copy inside sam-app/ would be zipped with the function (a CodeUri folder is
 * packaged whole) and a fixed name like `<file>.mine` is overwritten by the next change, losing
 * the learner's earlier version. Inside the folder, paths mirror sam-app/:
 *
 *   lab-workspace/backups/2026-12-02T09-23-41Z-reset-hooks-alarm/sam-app/src/app.mjs
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirs } from '../files.js';
import type { Workspace } from './workspace.js';

export class FileBackup {
  #dir: string | undefined;

  /** `why` names the folder, after its time: e.g. `reset-hooks-alarm` */
  constructor(
    readonly ws: Workspace,
    readonly why: string,
    readonly now: () => Date = () => new Date(),
  ) {}

  /** the folder holding the copies (its sam-app/ mirror); undefined while nothing was kept */
  get dir(): string | undefined {
    return this.#dir === undefined ? undefined : join(this.#dir, 'sam-app');
  }

  /** copies `sam-app/<file>` as it is now (bytes, not text); returns where the copy is */
  keep(file: string): string {
    const to = join(this.#folder(), 'sam-app', file);
    makeDirs(dirname(to));
    copyFileSync(join(this.ws.samApp, file), to);
    return to;
  }

  /** made on the first copy, with a name no earlier backup has (a suffix when two land in one second) */
  #folder(): string {
    if (this.#dir !== undefined) return this.#dir;
    makeDirs(this.ws.backups);
    const stamp = this.now().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
    for (let n = 1; ; n++) {
      const dir = join(this.ws.backups, `${stamp}-${this.why}${n === 1 ? '' : `-${n}`}`);
      try {
        mkdirSync(dir); // not recursive: EEXIST means an earlier backup has this name
        this.#dir = dir;
        return dir;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
}
