/**
 * A deploy that starts no CodeDeploy deployment: when DeploymentPreference is deployed and
 * src/app.mjs did not change (no new version published, the alias stays), the lab says that first;
 * otherwise it keeps its wording of both causes.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecordingIoHost } from '../../src/io/recording.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { scaffoldWorkspace, workspacePaths } from '../../src/lab/workspace.js';
import { REFERENCE_ORDER } from '../../src/steps/index.js';
import { followDeployment } from '../../src/steps/shared/deployment-view.js';
import { deploymentGroup, deployments } from '../../src/steps/shared/codedeploy.js';
import { eventually } from '../helpers/eventually.js';
import { removeWorkspace } from '../helpers/cli.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
const made: { dir: string; ctx?: LiveLabContext }[] = [];
after(async () => {
  for (const m of made) {
    m.ctx?.destroy();
    await removeWorkspace(m.dir);
  }
});

/** a new workspace and its local cloud at `speed`, the lab's context on it (--ci), and what it said of a deploy that started no deployment */
async function labAt(speed: number) {
  const m: (typeof made)[number] = { dir: mkdtempSync(join(tmpdir(), 'no-deployment-')) };
  made.push(m);
  const ws = workspacePaths(m.dir);
  await scaffoldWorkspace(ws);
  const { ensureEmulator } = await import('../../src/emulator/daemon.js');
  const emu = await ensureEmulator({ stateDir: ws.stateDir, speed });
  const io = new RecordingIoHost();
  const progress = ProgressStore.load(ws, 'local');
  const ctx = (m.ctx = new LiveLabContext({ io, ws, target: { kind: 'local', endpoint: emu.endpoint }, progress, reference: new ReferenceBook(REFERENCE_ORDER), ci: true, speed, signal: new AbortController().signal }));
  const said = () => io.of('say').map((e) => e.text).filter((t) => t.startsWith('no CodeDeploy deployment started'));
  return { ws, ctx, said };
}

test('the template of blue-green deployed with src/app.mjs unchanged: the lab says no new version was published, naming src/app.mjs', async () => {
  const { ws, ctx, said } = await labAt(0.0001);

  // the bundled app, no DeploymentPreference: the other case keeps its wording
  await ctx.deploy();
  assert.equal(await followDeployment(ctx, { since: ctx.lastDeployAt, appearWithinMs: 1000 }), undefined);
  assert.deepEqual(said(), ['no CodeDeploy deployment started (the alias already pointed at this version, or DeploymentPreference is not deployed)']);

  // the step's template change alone (DeploymentPreference uncommented), the code as it was
  const template = readFileSync(join(TEMPLATES, 'blue-green', 'template.yaml'), 'utf8').replace('Type: Linear10PercentEvery1Minute', 'Type: AllAtOnce');
  writeFileSync(ws.template, template);
  await ctx.deploy();
  assert.equal(await followDeployment(ctx, { since: ctx.lastDeployAt, appearWithinMs: 1000 }), undefined);
  const last = said().at(-1)!;
  assert.match(last, /^no CodeDeploy deployment started: src\/app\.mjs did not change, so this deploy published no new Lambda version and the alias "live" stays at Lambda version 1/);
  assert.match(last, /only a new version starts a deployment/);
});

test('the release of this code ended (followed, then the lab stopped under it): a deploy of the same code names that release, and asks for no change', async () => {
  const { ws, ctx: ctx2, said } = await labAt(60);
  // version 1 deployed, then blue-green's change (app version 2), released; nobody follows it to its end
  await ctx2.deploy();
  writeFileSync(ws.template, readFileSync(join(TEMPLATES, 'blue-green', 'template.yaml'), 'utf8').replace('Type: Linear10PercentEvery1Minute', 'Type: AllAtOnce'));
  writeFileSync(join(ws.samApp, 'src', 'app.mjs'), readFileSync(join(TEMPLATES, 'blue-green', 'src', 'app.mjs'), 'utf8'));
  await ctx2.deploy();
  const id = ctx2.lastDeployments?.[0]?.deploymentId;
  assert.ok(id, 'the change started a deployment');
  await eventually(`${id} ended`, () => deployments(ctx2, deploymentGroup(ctx2), undefined, 1), (all) => all[0]?.deploymentId === id && all[0]?.status === 'Succeeded');
  // the learner, back, presses d with the same files: no deployment, and nothing to change
  await ctx2.deploy();
  assert.equal(await followDeployment(ctx2, { since: ctx2.lastDeployAt, appearWithinMs: 1000 }), undefined);
  const last = said().at(-1)!;
  assert.match(last, new RegExp(`^no CodeDeploy deployment started: src/app\\.mjs did not change since deployment ${id}, which released it \\(Lambda version \\d+\\) and ended Succeeded; the alias "live" serves it, and the checks read that release$`));
  assert.doesNotMatch(last, /change src\/app\.mjs/);
});
