/**
 * The I/O layer, loaded once a command runs rather than at the CLI's start: `--help` and
 * `--version` print through commander and need none of it (chalk and the faces are some 12 ms of
 * a 180 ms start here). cli-main.ts loads it before a command's action (and at its error boundary);
 * the interrupt policy takes it from here when a Ctrl-C comes.
 */
type IoModule = typeof import('./index.js');

let loaded: IoModule | undefined;
let loading: Promise<IoModule> | undefined;

/** the I/O layer's module, loaded on the first call */
export function loadIo(): Promise<IoModule> {
  loading ??= import('./index.js').then((m) => (loaded = m));
  return loading;
}

/** the module if it is loaded already: a signal handler cannot wait for it */
export function loadedIo(): IoModule | undefined {
  return loaded;
}
