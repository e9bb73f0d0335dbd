/**
 * The modules that build events in this thread (types.ts: BuiltEvent), each loaded once: in the
 * init phase when the pool names it (WorkerPoolOptions.eventBuilders), else on the first
 * invocation that names it.
 */

export type BuildEvent = (parts: readonly unknown[]) => unknown;

const builders = new Map<string, BuildEvent>();

/** the last builder asked for: its URL arrives as a new string each time, which a Map would hash */
let lastUrl = '';
let lastBuild: BuildEvent | undefined;

/** the builder of `url`, once loaded */
export function eventBuilder(url: string): BuildEvent | undefined {
  if (url !== lastUrl) {
    const build = builders.get(url);
    if (build === undefined) return undefined;
    lastUrl = url;
    lastBuild = build;
  }
  return lastBuild;
}

/**
 * Loads the `buildEvent` export of the module at `url`; never rejects. A module that cannot be
 * loaded, or has no such export, leaves a builder that throws why: every invocation whose event
 * names it fails with that error in this environment (the environment itself serves on).
 */
export function loadEventBuilder(url: string): Promise<void> {
  const failing = (err: unknown): BuildEvent => () => {
    throw err;
  };
  return import(url).then(
    (m: { buildEvent?: unknown }) => {
      builders.set(url, typeof m.buildEvent === 'function' ? (m.buildEvent as BuildEvent) : failing(new TypeError(`${url} has no buildEvent export`)));
    },
    (err: unknown) => {
      builders.set(url, failing(err));
    },
  );
}
