/**
 * Watches the workspace's sam-app/ while the learner edits (rustlings' watch mode): one event per
 * burst of saves (editors write a file in several steps), build output and the `.mine` copies
 * older versions of the lab made ignored. Watching fails on some mounts (NFS, WSL, some
 * containers): then `onError` hears it once and the learner re-checks with a key.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, sep } from 'node:path';

const IGNORED = [`.aws-sam${sep}`, '.aws-sam', 'node_modules'];

/**
 * Files editors write beside the one being edited, which are not the learner's change: vim's swap
 * files (.x.swp, .swo, .swx) and its write test file `4913`, emacs' lock and auto-save files
 * (.#x, #x#), JetBrains' safe-write copies (x___jb_tmp___, x___jb_old___), backups (x~), and the
 * `.mine` copies older versions of the lab made (now kept in backups/) and `.tmp` ones.
 */
export function isEditorScratch(file: string): boolean {
  const name = basename(file);
  return (
    /^\..+\.(sw[a-p]|swx)$/.test(name) ||
    name === '4913' ||
    name.startsWith('.#') ||
    (name.startsWith('#') && name.endsWith('#')) ||
    name.endsWith('___jb_tmp___') ||
    name.endsWith('___jb_old___') ||
    name.endsWith('~') ||
    name.endsWith('.mine') ||
    name.endsWith('.tmp')
  );
}

export interface SamAppWatcher {
  close(): void;
}

export function watchSamApp(dir: string, onChange: (files: string[]) => void, onError: (err: Error) => void, debounceMs = 150): SamAppWatcher {
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let closed = false;
  const fire = () => {
    timer = undefined;
    const files = [...pending];
    pending = new Set();
    if (!closed && files.length) onChange(files);
  };
  try {
    watcher = watch(dir, { recursive: true }, (_event, name) => {
      const file = name?.toString() ?? '';
      if (IGNORED.some((i) => file.startsWith(i)) || isEditorScratch(file)) return;
      pending.add(file);
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
    });
    watcher.on('error', (err) => {
      if (!closed) onError(err);
    });
  } catch (err) {
    onError(err as Error);
  }
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
