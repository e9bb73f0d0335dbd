/**
 * hooks-errors on a busy host, made certain instead of left to load: the version that throws
 * answers only after 5 real seconds (as its cold start and a starved thread make it late), while
 * the cloud runs 300 times faster, so the 9 cloud minutes of Linear10PercentEvery1Minute last 1.8
 * real seconds. With the clock left to run, the shift ended before any error came back: the
 * release Succeeded with no alarm (start --ci's failure at hooks-errors, at speed 100 on a loaded
 * 2-core host). The live view paces the cloud's clock by its sampled answers (POST /_lab/clock):
 * the shift waits for the traffic, the Errors alarm goes off, CodeDeploy stops the release. A
 * slower host makes the old outcome more certain and the new one slower, never different.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { removeWorkspace } from '../helpers/cli.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
const SPEED = 300;
const THROWS = readFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), 'utf8');
/** app version 4, its errors 5 real seconds late: longer than the whole shift at SPEED */
const THROWS_LATE = THROWS.replace('  throw new Error(\n', '  await new Promise((r) => setTimeout(r, 5000));\n  throw new Error(\n');
assert.notEqual(THROWS_LATE, THROWS, "app version 4's throw not found");

let dir: string | undefined;
let ctx: LiveLabContext | undefined;
after(async () => {
  ctx?.destroy();
  if (dir) await removeWorkspace(dir);
});

test('a version whose errors come back later than its whole shift lasts in real time is still stopped by its Errors alarm: the cloud waits for the traffic', async () => {
  dir = mkdtempSync(join(tmpdir(), 'sol-busy-release-'));
  const ws = workspacePaths(dir);
  await scaffoldWorkspace(ws);
  // hooks-alarm's template as the lab leaves it: Linear10PercentEvery1Minute, the hook, the Errors alarm
  writeFileSync(join(ws.samApp, 'template.yaml'), readFileSync(join(TEMPLATES, 'hooks-alarm', 'template.yaml'), 'utf8'));
  mkdirSync(join(ws.samApp, 'hooks'), { recursive: true });
  copyFileSync(join(TEMPLATES, 'hooks-alarm', 'hooks', 'pre-traffic.mjs'), join(ws.samApp, 'hooks', 'pre-traffic.mjs'));
  const { ensureEmulator } = await import('../../src/emulator/daemon.js');
  const emu = await ensureEmulator({ stateDir: ws.stateDir, speed: SPEED });
  const io = new RecordingIoHost();
  const progress = ProgressStore.load(ws, 'local');
  ctx = new LiveLabContext({ io, ws, target: { kind: 'local', endpoint: emu.endpoint }, progress, reference: new ReferenceBook(REFERENCE_ORDER), ci: true, speed: SPEED, signal: new AbortController().signal });
  // the first deploy creates "live" on version 1 (no deployment); the release is the second
  await ctx.deploy();
  writeFileSync(join(ws.samApp, 'src', 'app.mjs'), THROWS_LATE);
  await ctx.deploy();
  const d = await followDeployment(ctx, { since: ctx.lastDeployAt, sample: true, appearWithinMs: 20_000 });
  assert.ok(d, 'the release started a deployment');
  assert.equal(`${d.status} ${d.errorCode ?? ''}`, 'Stopped ALARM_ACTIVE', `${JSON.stringify(d)}\n${io.text.slice(-1500)}`);
  // the version that throws met traffic, and its errors came back before the shift ended
  assert.ok((d.failedAnswers['502'] ?? 0) > 0, JSON.stringify(d.failedAnswers));
  assert.ok(d.weightsSeen.every((w) => w < 100), `never all shifted: ${d.weightsSeen.join(' ')}`);
});
