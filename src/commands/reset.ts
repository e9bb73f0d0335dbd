/**
 * `reset [STEP] [--yes]`. With a step: its files (and those of the steps after it) go back to the
 * step's starting point and their progress is forgotten. Without: the whole lab, after a
 * confirmation: local stops the workspace's cloud and wipes its state; aws deletes the lab's
 * stack. The learner's sam-app/ is never deleted: it is kept beside the fresh copy.
 */
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, UsageError } from '../errors.js';
import { createIoHost } from '../io/index.js';
import type { InterruptPolicy } from '../interrupt.js';
import { progressPath, ProgressStore } from '../lab/progress.js';
import { ReferenceBook } from '../lab/reference.js';
import { scaffoldWorkspace, workspacePaths } from '../lab/workspace.js';
import { findStep, LAB_STEPS, REFERENCE_ORDER } from '../steps/index.js';
import { readDeployRecord } from '../targets/deploy-record.js';

export async function resetCommand(stepId: string | undefined, opts: Record<string, unknown>, interrupt: InterruptPolicy): Promise<void> {
  const ws = workspacePaths((opts.workspace as string | undefined) ?? 'lab-workspace');
  const io = await createIoHost({ onCtrlC: interrupt.press });
  const yes = opts.yes === true;

  if (stepId !== undefined) {
    const step = findStep(stepId);
    if (!step) throw new UsageError(`no step "${stepId}"`, `steps: ${LAB_STEPS.map((s) => s.id).join(', ')}`);
    const from = LAB_STEPS.indexOf(step);
    const affected = LAB_STEPS.slice(from);
    const progress = ProgressStore.load(ws, 'local');
    const book = new ReferenceBook(REFERENCE_ORDER);
    const restored: string[] = [];
    // the latest first, so each file ends at the starting point of `step`
    for (const s of [...affected].reverse()) restored.push(...book.restore(s.id, ws));
    progress.clear(affected.map((s) => s.id));
    io.say(`${step.id} and the steps after it are pending again${restored.length ? `; restored ${[...new Set(restored)].map((f) => `sam-app/${f}`).join(', ')} to the step's starting point` : ''}`);
    io.say('the cloud keeps what it has: deploy (or start, which goes on from this step) to bring it in line');
    return;
  }

  const record = readDeployRecord(ws);
  const target = (opts.target as string | undefined) ?? record?.target ?? 'local';
  const what =
    target === 'aws'
      ? `delete the CloudFormation stack ${record?.stackName ?? 'ServerlessOps-stack'} and forget the lab's progress in ${ws.root}`
      : `stop the local cloud of ${ws.root}, wipe its state and forget the lab's progress`;
  if (!yes) {
    if (!io.asks) throw new UsageError(`reset would ${what}`, 'add --yes to confirm (there is no terminal to ask on)');
    if (!(await io.confirm(`This will ${what}. Your sam-app/ is kept beside a fresh copy. Go on?`, false, interrupt.signal))) {
      io.say('nothing changed');
      return;
    }
  }
  if (target === 'aws') {
    const { CloudFormationClient, DeleteStackCommand, waitUntilStackDeleteComplete } = await import('@aws-sdk/client-cloudformation');
    const { clientConfig } = await import('../targets/clients.js');
    const cfn = new CloudFormationClient(clientConfig({ kind: 'aws', profile: (opts.profile as string | undefined) ?? record?.profile, region: (opts.region as string | undefined) ?? record?.region }));
    const stack = record?.stackName ?? 'ServerlessOps-stack';
    const p = io.progress(`deleting stack ${stack}`);
    try {
      await cfn.send(new DeleteStackCommand({ StackName: stack }));
      await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: 900, abortSignal: interrupt.signal }, { StackName: stack });
      p.succeed(`stack ${stack} deleted`);
    } catch (err) {
      p.fail();
      throw new LabError(`could not delete stack ${stack}: ${(err as Error).message}`, undefined, 'see the stack in the CloudFormation console');
    } finally {
      cfn.destroy();
    }
  } else {
    const { stopEmulator } = await import('../emulator/daemon.js');
    await stopEmulator(ws.stateDir).catch(() => undefined);
    await rm(ws.stateDir, { recursive: true, force: true });
    io.say(`stopped the local cloud and wiped ${ws.stateDir}`);
  }
  for (const f of [ws.deployRecord, ws.names, progressPath(ws)]) await rm(f, { force: true });
  if (existsSync(ws.samApp)) {
    const kept = join(ws.root, `sam-app.before-reset-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await rename(ws.samApp, kept);
    await scaffoldWorkspace(ws);
    io.say(`your sam-app/ is kept as ${kept}; sam-app/ is a fresh copy of the lab's app`);
  }
  io.say('reset done: `serverless-ops-lab start` begins again');
}
