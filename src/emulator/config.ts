/**
 * The embedded cloud's ports, paths and option types: the one emulator file the CLI side reads to
 * learn a constant. It imports nothing, so reading it never loads the emulator (a load trace in
 * test/cli/startup.test.ts keeps `deploy`, `status` and `emulator start|stop|status` to what they use).
 */

/** the port the workshop's commands name (`--endpoint-url http://127.0.0.1:4566`), as LocalStack's */
export const DEFAULT_PORT = 4566;

/** the workspace `deploy`, `status` and `emulator` use when given none */
export const DEFAULT_WORKSPACE = 'lab-workspace';

/** in a state dir: the running emulator's record, its log, and the lock two starters share */
export const RECORD_FILE = 'emulator-process.json';
export const LOG_FILE = 'emulator.log';
export const START_LOCK_FILE = 'emulator-start.lock';
/** the port the state dir's cloud last listened on (process-record.ts says why it is kept) */
export const LAST_PORT_FILE = 'emulator-port.json';

/** the emulator process's entry, spawned by path (`node background.cjs '<json options>'`) by daemon.ts */
export const MAIN_SCRIPT = new URL('./background.cjs', import.meta.url);

/** How an emulator process runs; the background child gets it as JSON in argv[2]. */
export interface EmulatorProcessOptions {
  stateDir: string;
  /** 0 picks a free port */
  port: number;
  host: string;
  speed: number;
  /**
   * the speed was someone's choice (`--speed` given to `emulator start` or the lab, a foreground
   * cloud), not a command's default (`deploy`, `reset`, a bare `emulator start`, the lab's mode):
   * the lab restarts a cloud at its own mode's speed only when nobody chose the running one
   */
  speedChosen?: boolean;
  throttleStatus: 500 | 502;
  accountConcurrency: number;
  mode: 'foreground' | 'background';
  /**
   * when `port` is taken, take any free port instead of failing (the background default); the port
   * taken last time for this state dir comes first, so its URLs keep working
   */
  portFallback?: boolean;
  /** the record's portChosen (process-record.ts), when not its default (an explicit port, no portFallback): a cloud put back on the port it had keeps its own */
  portChosen?: boolean;
  /** background: log every request, not only the failed ones (5xx) */
  logRequests?: boolean;
}
