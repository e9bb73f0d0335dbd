/**
 * `start --assisted` as a learner in a time-boxed room meets it: every question answered with
 * Enter (the default, which `--assisted` makes "do it for me"), in a temporary workspace on the
 * local cloud at the interactive speed. Not `--ci`: the interactive path runs the workshop's load
 * tests (-n 1000 -c 50), the live views at the interactive speed (10x), and the prompts.
 *
 * No terminal is needed: the lab runs in this process through the recording face of the I/O host
 * (the tests' way of driving interactive runs) with a learner who presses Enter everywhere. The
 * figure is the lab's real wall time per step, plus the time to read every text it showed (words
 * at a normal silent reading rate) and a fixed time per question. Goal (issue 9): under 15 minutes.
 *
 * `npm run bench -- assisted` runs it alone (`-- lab` runs it with the --ci bench).
 * `SOL_BENCH_TRANSCRIPT=FILE` writes everything the learner was shown, with the second it came, and
 * FILE.read what the figure counts as read: each text once, with its chapter, kind and words.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCommand } from '../src/commands/start.js';
import { InterruptPolicy } from '../src/interrupt.js';
import { DEFAULT, RecordingIoHost, type RecordedEvent } from '../src/io/recording.js';
import type { LabReport } from '../src/lab/report.js';
import { LAB_STEPS } from '../src/steps/index.js';
import { workspacePaths } from '../src/lab/workspace.js';

/**
 * Silent reading of non-fiction in English by adults: 238 words per minute (Brysbaert, M. (2019).
 * "How many words do we read per minute? A review and meta-analysis of reading rate." Journal of
 * Memory and Language 109, 104047. https://doi.org/10.1016/j.jml.2019.104047).
 */
export const WORDS_PER_MINUTE = 238;
/** a question (the how-to choice, "next step?", Enter to run): a glance at the choices and a key */
export const SECONDS_PER_QUESTION = 2;
export const GOAL_MINUTES = 15;

const QUESTIONS: ReadonlySet<RecordedEvent['kind']> = new Set(['choose', 'confirm', 'key']);

/** words of a text as a reader takes them in: runs of letters or digits (a command's flags count) */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** code among what is shown: diffs, commands, a check's `$ aws …` line (read all the same; counted apart to show where the words are) */
function codeWords(kind: RecordedEvent['kind'], text: string): number {
  if (kind === 'diff' || kind === 'command') return countWords(text);
  return text.split('\n').filter((l) => l.trimStart().startsWith('$ ')).reduce((n, l) => n + countWords(l), 0);
}

/**
 * The texts a learner reads, in order: every event's text, but of a live view only its last
 * frame (the frames before it are redrawn in place, and watched, not read), and of a question its
 * message with the choices' labels and descriptions. A line shown again as it was (the footer's
 * keys, "step done ✓ …", a check's command) is recognised, not read again: it is left out.
 */
export function readTexts(events: readonly RecordedEvent[]): { index: number; kind: RecordedEvent['kind']; text: string; question: boolean }[] {
  const lastFrame = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.kind === 'live') lastFrame.set((e.data as { title: string }).title, i);
  });
  const out: { index: number; kind: RecordedEvent['kind']; text: string; question: boolean }[] = [];
  const seen = new Set<string>();
  events.forEach((e, i) => {
    if (e.kind === 'live' && lastFrame.get((e.data as { title: string }).title) !== i) return;
    let text = e.text;
    if (e.kind === 'choose') {
      const { choices } = e.data as { choices: { label: string; description?: string }[] };
      text = [e.text, ...choices.map((c) => `${c.label} ${c.description ?? ''}`)].join('\n');
    }
    const fresh = text.split('\n').filter((l) => {
      const key = l.trim();
      if (key && seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    out.push({ index: i, kind: e.kind, text: fresh.join('\n'), question: QUESTIONS.has(e.kind) });
  });
  return out;
}

interface Segment {
  name: string;
  wallS: number;
  words: number;
  /** of `words`, those of diffs and commands */
  code: number;
  questions: number;
}

function readingS(s: Segment): number {
  return (s.words / WORDS_PER_MINUTE) * 60 + s.questions * SECONDS_PER_QUESTION;
}

/**
 * A learner reading at WORDS_PER_MINUTE beside the lab: a text can be read once it is shown, so
 * what comes before a wait (the diff before a deploy, the explanation before a load test) is read
 * during it; at a question the lab waits until the learner has read everything shown and answered,
 * which delays all that comes after. `shownAtS` is each event's second in the recorded run (where
 * every question was answered at once); the answer is the learner's finishing second.
 */
export function readAlong(texts: ReturnType<typeof readTexts>, shownAtS: readonly number[], endS: number): number {
  let reader = 0; // the second the learner has read up to
  let delay = 0; // seconds the lab has waited for the learner at questions so far
  for (const t of texts) {
    const shown = (shownAtS[t.index] ?? endS) + delay;
    reader = Math.max(reader, shown) + (countWords(t.text) / WORDS_PER_MINUTE) * 60;
    if (t.question) {
      reader += SECONDS_PER_QUESTION;
      delay += reader - shown;
    }
  }
  return Math.max(reader, endS + delay);
}

/** m:ss, rounded to the second first (59.6 s is 1:00, not 0:60) */
const fmt = (s: number) => {
  const r = Math.round(s);
  return `${Math.floor(r / 60)}:${String(r % 60).padStart(2, '0')}`;
};

export async function run(): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'sol-bench-assisted-'));
  // the learner: Enter everywhere; a step whose "do it for me" did not pass is quit (and said):
  // under --assisted the lab waits for a key only at "next?" (a 'run' step runs at once) and when
  // a step's change did not pass
  const stuck: string[] = [];
  const io = new RecordingIoHost({
    width: 80,
    otherwise: (q) => {
      if (q.kind === 'key' && q.text !== 'next?') {
        stuck.push(q.text);
        return 'q';
      }
      return DEFAULT;
    },
  });
  const heading = io.heading.bind(io);
  const stepStart: number[] = [];
  io.heading = (text: string) => {
    if (/^Step \d+ of/.test(text)) stepStart.push(performance.now());
    heading(text);
  };
  // the second each event came, for the transcript (events are only ever appended)
  const at: number[] = [];
  const push = io.events.push.bind(io.events);
  io.events.push = (...items) => {
    for (const _ of items) at.push(performance.now());
    return push(...items);
  };
  const interrupt = new InterruptPolicy();
  const uninstall = interrupt.install();
  const started = performance.now();
  let report: LabReport | undefined;
  let error: unknown;
  try {
    report = await startCommand({ workspace: ws, assisted: true }, interrupt, undefined, { io });
  } catch (err) {
    error = err;
  } finally {
    uninstall();
    const { stopEmulator } = await import('../src/emulator/daemon.js');
    await stopEmulator(workspacePaths(ws).stateDir).catch(() => undefined);
    rmSync(ws, { recursive: true, force: true });
  }
  const ended = performance.now();
  if (process.env.SOL_BENCH_TRANSCRIPT) {
    writeFileSync(process.env.SOL_BENCH_TRANSCRIPT, io.events.map((e, i) => `[${(((at[i] ?? ended) - started) / 1000).toFixed(1).padStart(6)} s ${e.kind}] ${e.text}`).join('\n') + '\n');
  }

  // segments: what came before the first step (the cloud started, the workspace made), then each chapter
  const segments = new Map<string, Segment>();
  const seg = (name: string) => segments.get(name) ?? segments.set(name, { name, wallS: 0, words: 0, code: 0, questions: 0 }).get(name)!;
  const chapterAt: string[] = [];
  let current = 'start';
  io.events.forEach((e) => {
    const m = e.kind === 'heading' ? /^Step (\d+) of/.exec(e.text) : null;
    if (m) current = LAB_STEPS[Number(m[1]) - 1]?.chapter.id ?? current;
    chapterAt.push(current);
  });
  const byKind = new Map<string, { words: number; code: number }>();
  const readLines: string[] = [];
  for (const t of readTexts(io.events)) {
    const k = byKind.get(t.kind) ?? byKind.set(t.kind, { words: 0, code: 0 }).get(t.kind)!;
    k.words += countWords(t.text);
    k.code += codeWords(t.kind, t.text);
    if (t.text.trim()) readLines.push(`[${chapterAt[t.index]} ${t.kind} ${countWords(t.text)}] ${t.text}`);
    const s = seg(chapterAt[t.index]!);
    s.words += countWords(t.text);
    s.code += codeWords(t.kind, t.text);
    if (t.question) s.questions += 1;
  }
  // wall time per step, from the moment its heading was shown to the next one's (the last: to the end)
  const headings = io.events.filter((e) => e.kind === 'heading' && /^Step \d+ of/.test(e.text));
  seg('start').wallS = ((stepStart[0] ?? ended) - started) / 1000;
  headings.forEach((h, i) => {
    const chapter = LAB_STEPS[Number(/^Step (\d+)/.exec(h.text)![1]) - 1]!.chapter.id;
    seg(chapter).wallS += ((stepStart[i + 1] ?? ended) - stepStart[i]!) / 1000;
  });

  const all = [...segments.values()];
  const total = all.reduce((n, s) => ({ wallS: n.wallS + s.wallS, words: n.words + s.words, code: n.code + s.code, questions: n.questions + s.questions }), { wallS: 0, words: 0, code: 0, questions: 0 });
  const totalS = total.wallS + readingS({ name: 'total', ...total });
  const outcome = report ? `outcome ${report.outcome}, speed ${report.speed}x` : `failed: ${(error as Error)?.message ?? String(error)}`;
  console.log(`start --assisted --target local (Enter everywhere; reading at ${WORDS_PER_MINUTE} words/min, ${SECONDS_PER_QUESTION} s a question): ${outcome}`);
  for (const s of stuck) console.log(`  did not pass after "do it for me": ${s}`);
  const row = (name: string, s: Omit<Segment, 'name'>, r: number) =>
    `  ${name.padEnd(14)} ${fmt(s.wallS).padStart(7)} ${String(s.words).padStart(6)} ${String(s.code).padStart(5)} ${String(s.questions).padStart(9)} ${fmt(r).padStart(8)} ${fmt(s.wallS + r).padStart(7)}`;
  console.log(`  ${'chapter'.padEnd(14)} ${'lab'.padStart(7)} ${'words'.padStart(6)} ${'code'.padStart(5)} ${'questions'.padStart(9)} ${'reading'.padStart(8)} ${'total'.padStart(7)}`);
  for (const s of all) console.log(row(s.name, s, readingS(s)));
  console.log(
    `${row('total', total, totalS - total.wallS)}  ` +
      // an upper bound, not the goal's measure: a learner reads the step's text while its deploy or load test runs
      `(upper bound: a reader who reads nothing while the lab works; the goal is measured read along, below)`,
  );
  const paced = readAlong(readTexts(io.events), at.map((t) => (t - started) / 1000), (ended - started) / 1000);
  console.log(
    `  read along: ${fmt(paced)} (goal: under ${GOAL_MINUTES}:00, ${paced < GOAL_MINUTES * 60 ? 'met' : 'NOT met'}): the same reader, who reads what is shown while the lab deploys, shifts and load-tests, and answers each question only once everything before it is read (the lab waits for them there)`,
  );
  console.log(`  words by kind: ${[...byKind].filter(([, k]) => k.words).sort((a, b) => b[1].words - a[1].words).map(([kind, k]) => `${kind} ${k.words}${k.code ? ` (${k.code} code)` : ''}`).join(', ')}`);
  if (process.env.SOL_BENCH_TRANSCRIPT) writeFileSync(`${process.env.SOL_BENCH_TRANSCRIPT}.read`, readLines.join('\n') + '\n');
  console.log(`  of the reading, ${fmt((total.code / WORDS_PER_MINUTE) * 60)} is code (diffs, commands, the checks' aws lines: "code" above), read at the same rate`);
  for (const s of report?.steps ?? []) {
    const off = s.after.filter((c) => c.status !== 'passed').map((c) => `${c.name}: ${c.status === 'not-yet' ? `expected ${c.expected}, found ${c.found}` : c.what}`);
    console.log(`    ${s.id.padEnd(24)} ${(s.durationMs / 1000).toFixed(1).padStart(6)} s  ${s.outcome}${off.length ? `  (${off.join('; ')})` : ''}`);
  }
}
