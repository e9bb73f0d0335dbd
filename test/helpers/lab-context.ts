/** A LabContext for unit tests of checks and the runner: no cloud, a recording I/O host. */
import type { LabContext, FigureValue } from '../../src/lab/context.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { PlainIoHost } from '../../src/io/plain.js';
import { LabError } from '../../src/errors.js';
import type { TargetClients } from '../../src/targets/clients.js';
import { ReferenceBook } from '../../src/lab/reference.js';

export function fakeContext(over: Partial<LabContext> & { io?: RecordingIoHost } = {}): LabContext & { io: RecordingIoHost; figuresOf: Record<string, Record<string, FigureValue>>; notes: string[]; deploys: number } {
  const figuresOf: Record<string, Record<string, FigureValue>> = { current: {} };
  const notes: string[] = [];
  const ctx = {
    io: over.io ?? new RecordingIoHost(),
    ws: workspacePaths('/tmp/not-a-workspace'),
    target: 'local' as const,
    targetName: 'the local cloud at http://127.0.0.1:1',
    environmentFix: 'run `serverless-ops-lab emulator start`',
    clients: undefined as unknown as TargetClients,
    reference: new ReferenceBook([]),
    ci: true,
    assisting: true,
    speed: 1,
    endpoint: 'http://127.0.0.1:1',
    signal: new AbortController().signal,
    deploys: 0,
    deployment() {
      throw new LabError('nothing deployed');
    },
    async deploy() {
      ctx.deploys++;
      return { target: 'local' as const, outputs: {}, changes: [], warnings: [] };
    },
    async settleDeploy() {},
    aws: (args: string) => `aws ${args} --endpoint-url http://127.0.0.1:1`,
    figure(key: string, value: FigureValue) {
      figuresOf.current![key] = value;
    },
    allFigures: () => figuresOf,
    stepProgress: () => ({ status: 'pending' as const, assisted: false, hintsShown: 0 }),
    instructorNote: (t: string) => void notes.push(t),
    figuresOf,
    notes,
    ...over,
  };
  return ctx as never;
}

/**
 * A lab context for a load test against a test's own server (`apiUrl`, the deployment's ApiUrl):
 * its terminal is the plain face (a learner's piped run) writing into `out.text`, with a clock
 * that stands still (after its first print the log prints again only when a view is done).
 */
export function plainLoadContext(apiUrl: string, over: Partial<Omit<LabContext, 'io'>> = {}): { ctx: ReturnType<typeof fakeContext>; out: { text: string } } {
  const out = { text: '' };
  const io = new PlainIoHost({ out: { write: (c: string) => ((out.text += c), true) }, now: () => new Date(2026, 0, 1, 10, 0, 0) });
  const ctx = fakeContext({
    io: io as never,
    endpoint: undefined,
    deployment: () => ({ target: 'local', outputs: { ApiUrl: apiUrl, ImagesBucket: 'images' }, changes: [], warnings: [] }) as never,
    ...over,
  });
  return { ctx, out };
}
