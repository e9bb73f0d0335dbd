/**
 * `list`: the lab's steps and where the learner stands: ✓ done, ◐ done for them (assisted),
 * ▶ started, · pending. Reads the progress file only (`start` re-checks the cloud).
 */
import { noWorkspaceError, workspaceMissing } from '../lab/workspace-missing.js';
import { emptyStep, ProgressStore } from '../lab/progress.js';
import { workspacePaths } from '../lab/workspace.js';
import { createIoHost } from '../io/index.js';
import { formatTable, proseLines } from '../io/format.js';
import { paint } from '../io/terminal.js';
import type { InterruptPolicy } from '../interrupt.js';
import { hintCommand } from '../invocation.js';
import { labCommand } from '../lab/outside.js';
import { LAB_OUTLINE } from '../steps/outline.js';

export async function listCommand(opts: Record<string, unknown>, interrupt: InterruptPolicy): Promise<void> {
  const ws = workspacePaths((opts.workspace as string | undefined) ?? 'lab-workspace');
  // a mistyped --workspace is said as such, whatever the path looks like (one under /proc, one
  // through a file): the steps are still listed, as the outline of the lab
  const missing = workspaceMissing(ws.root);
  const exists = missing === undefined;
  const progress = exists ? ProgressStore.load(ws, 'local') : undefined;
  // the outline, not the steps: their modules load all of the lab's code, the SDK's clients among
  // it (0.9 s of CPU for list, 6-8 s on a loaded host), for ids and titles
  const rows = LAB_OUTLINE.map((s, i) => {
    const p = progress?.step(s.id) ?? emptyStep();
    const status = p.status === 'done' ? (p.assisted ? 'assisted' : 'done') : p.status === 'started' ? 'started' : 'pending';
    return { n: i + 1, id: s.id, chapter: s.chapter.id, section: s.chapter.section ?? null, title: s.title, status, attempts: p.attempts, hintsShown: p.hintsShown };
  });
  // a workspace that is not there is a failed look (exit 1), as `status` and `reset` answer it and
  // `git status` outside a repository does: a script's `list --workspace $TYPO && …` stops; the
  // steps are still printed, as the lab's outline
  const begin = hintCommand(labCommand(['start'], { workspace: ws.root, target: 'local' }));
  const notThere = noWorkspaceError(ws, missing);
  // Ctrl-C while it loaded and read (a busy host, a slow disk): it stops there, as every command
  // does (exit 130), rather than print the list after "stopping at the next safe point…"
  if (interrupt.signal.aborted) throw interrupt.signal.reason;
  const io = await createIoHost({ ci: true, onCtrlC: interrupt.press, signal: interrupt.signal, stdout: process.stdout });
  if (opts.json === true) {
    io.result(`${JSON.stringify({ workspace: ws.root, workspaceExists: exists, steps: rows }, null, 2)}\n`);
    if (notThere) throw notThere;
    return;
  }
  const mark = { done: '✓ done', assisted: '◐ assisted', started: '▶ started', pending: '· pending' } as const;
  // on a terminal narrower than a line a step (up to 103 wide), each title goes under its step;
  // piped, a line a step, `id — title`, for grep. A table is no prose: the terminal's own width
  const width = process.stdout.isTTY ? process.stdout.columns || 80 : Infinity;
  const cells = rows.map((r) => [String(r.n), r.id, r.title, `${r.chapter}${r.section ? ` (${r.section})` : ''}`, mark[r.status as keyof typeof mark]]);
  const text = formatTable(['#', 'step', 'what', 'chapter', 'status'], cells, paint(false), { column: 2, join: ' — ', width }).join('\n');
  const note = notThere || progress?.exists ? [] : ['', ...proseLines(`no progress yet in ${ws.root}; this begins:${begin}`, width)];
  io.result(`${[text, ...note].join('\n')}\n`);
  if (notThere) throw notThere;
}
