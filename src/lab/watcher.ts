/**
 * Watches the workspace's sam-app/ while the learner edits (rustlings' watch mode): one event per
 * burst of saves (editors write a file in several steps), build output and the lab's own `.mine`
 * copies ignored. Watching fails on some mounts (NFS, WSL, some containers): then `onError`
 * hears it once and the learner re-checks with a key.
 */
import { watch, type FSWatcher } from 'node:fs';
import { sep } from 'node:path';

const IGNORED = [`.aws-sam${sep}`, '.aws-sam', 'node_modules'];

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
      if (IGNORED.some((i) => file.startsWith(i)) || file.endsWith('.mine') || file.endsWith('.tmp') || file.endsWith('~')) return;
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
