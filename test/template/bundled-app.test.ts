import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadTemplate, parseTemplate, assertHandlerFile, findHandlerFile, TemplateError } from '../../src/template/index.js';

const SAM_APP = fileURLToPath(new URL('../../../sam-app/', import.meta.url));
const TEMPLATE = join(SAM_APP, 'template.yaml');
const SAMPLES = join(SAM_APP, 'samples');

test('the bundled sam-app/template.yaml has what the lab needs', async () => {
  const t = await loadTemplate(TEMPLATE, { region: 'eu-west-1' });
  assert.equal(t.functions.length, 1);
  const fn = t.functions[0];
  assert.equal(fn.logicalId, 'GetInfoFunction');
  assert.match(fn.runtime, /^nodejs(20|22)\.x$/);
  assert.ok(fn.timeout >= 6, `Timeout ${fn.timeout} must be well above the 3 s that version 2 waits`);
  assert.equal(fn.memorySize, 256);
  assert.equal(fn.autoPublishAlias, 'live');
  assert.equal(fn.aliasLogicalId, 'GetInfoFunctionAliaslive');
  assert.equal(fn.deploymentPreference, undefined, 'DeploymentPreference stays commented out until the blue/green step');
  assert.deepEqual(fn.events, [{ name: 'GetInfo', path: '/getinfo', method: 'POST', restApiLogicalId: 'ServerlessRestApi' }]);
  assert.equal(await assertHandlerFile(fn), join(SAM_APP, 'src', 'app.mjs'));
  assert.deepEqual(t.apis.map((a) => [a.logicalId, a.implicit, a.stageName]), [['ServerlessRestApi', true, 'Prod']]);
  assert.deepEqual(t.buckets.map((b) => b.logicalId), ['ImagesBucket']);
  assert.deepEqual(t.unsupported, []);
  const resolver = {
    ref: (id: string) => ({ ServerlessRestApi: 'abc123', GetInfoFunction: 'ops-GetInfoFunction-1', ImagesBucket: 'ops-images' })[id] ?? assert.fail(id),
    getAtt: (id: string, attr: string) => assert.fail(`${id}.${attr}`),
  };
  const outputs = Object.fromEntries(t.outputs.map((o) => [o.name, t.evaluate(o.value, resolver)]));
  assert.deepEqual(outputs, {
    ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/Prod/getinfo',
    FunctionName: 'ops-GetInfoFunction-1',
    ImagesBucket: 'ops-images',
  });
  assert.deepEqual(t.evaluate(fn.environment.IMAGES_BUCKET, resolver), 'ops-images');
});

test('uncommenting the DeploymentPreference lines, as the blue/green step does, gives a linear deployment', async () => {
  const text = await readFile(TEMPLATE, 'utf8');
  assert.match(text, /# DeploymentPreference:\n\s+#   Type: Linear10PercentEvery1Minute/);
  const enabled = text.replace(/# (DeploymentPreference:\n\s+)# ( {2}Type: Linear10PercentEvery1Minute)/, '$1$2');
  const t = parseTemplate(enabled, TEMPLATE);
  assert.equal(t.functions[0].deploymentPreference?.type, 'Linear10PercentEvery1Minute');
  assert.equal(t.functions[0].deploymentPreference?.enabled, true);
});

test('a missing handler file is named, relative to the working directory', async () => {
  const fn = { logicalId: 'F', codeDir: join(SAM_APP, 'nowhere'), handler: 'app.handler' };
  assert.equal(await findHandlerFile(fn), undefined);
  await assert.rejects(assertHandlerFile(fn, join(SAM_APP, '..')), (err: unknown) => {
    assert.ok(err instanceof TemplateError);
    assert.equal(err.message, 'handler file not found: sam-app/nowhere/app.mjs (F, Handler app.handler)');
    return true;
  });
});

test('every sample image has a label file in the documented shape', async () => {
  const files = await readdir(SAMPLES);
  const images = files.filter((f) => /\.(jpe?g|png)$/.test(f));
  assert.ok(images.includes('someguy.jpg'));
  assert.ok(images.length >= 3);
  const hashes = new Set<string>();
  for (const image of images) {
    const bytes = await readFile(join(SAMPLES, image));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], `${image} is a JPEG`);
    assert.ok(bytes.length < 50_000, `${image} stays small`);
    hashes.add(createHash('sha256').update(bytes).digest('hex'));
    const labels = JSON.parse(await readFile(join(SAMPLES, image.replace(/\.\w+$/, '.labels.json')), 'utf8'));
    assert.deepEqual(Object.keys(labels).sort(), ['CelebrityFaces', 'Labels', 'UnrecognizedFaces']);
    for (const l of labels.Labels) {
      assert.deepEqual(Object.keys(l), ['Name', 'Confidence', 'Instances', 'Parents', 'Aliases', 'Categories'], image);
      assert.ok(l.Confidence > 0 && l.Confidence <= 100);
      for (const i of l.Instances) assert.deepEqual(Object.keys(i.BoundingBox), ['Width', 'Height', 'Left', 'Top']);
    }
    const faces = [...labels.UnrecognizedFaces, ...labels.CelebrityFaces.map((c: { Face: unknown }) => c.Face)];
    for (const f of faces) assert.deepEqual(Object.keys(f).slice(0, 5), ['BoundingBox', 'Confidence', 'Landmarks', 'Pose', 'Quality']);
    for (const c of labels.CelebrityFaces) assert.deepEqual(Object.keys(c), ['Urls', 'Name', 'Id', 'Face', 'MatchConfidence', 'KnownGender']);
  }
  assert.equal(hashes.size, images.length, 'images are told apart by their SHA-256');
});

test('sam-app/src/app.mjs: 400 for a bad body, Rekognition results, AWS error status passed through', async (t) => {
  const someguy = JSON.parse(await readFile(join(SAMPLES, 'someguy.labels.json'), 'utf8'));
  const seen: Array<{ target: string; body: unknown }> = [];
  // A stand-in for Rekognition's JSON 1.1 endpoint: enough to drive the handler end to end.
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      const body = JSON.parse(data);
      seen.push({ target, body });
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (body.Image.S3Object.Name === 'missing.jpg') {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'InvalidS3ObjectException', Message: 'Unable to get object metadata from S3.' }));
      } else if (target.endsWith('.RecognizeCelebrities')) {
        res.end(JSON.stringify({ CelebrityFaces: someguy.CelebrityFaces, UnrecognizedFaces: someguy.UnrecognizedFaces }));
      } else {
        res.end(JSON.stringify({ Labels: someguy.Labels, LabelModelVersion: '3.0' }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as { port: number };
  const saved = { ...process.env };
  t.after(() => {
    for (const k of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  Object.assign(process.env, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  const { handler } = await import(join(SAM_APP, 'src', 'app.mjs'));

  // what the runtime passes; the answer names both versions
  const context = { functionVersion: '3' };
  // the 400 answers word for word, as the workshop's app said them
  const notJson = 'The request body must be JSON: {"bucket": "<bucket>", "key": "<image key>"}';
  const lacks = 'The request body needs "bucket" and "key" (strings): {"bucket": "<bucket>", "key": "<image key>"}';
  for (const [body, message] of [['not json', notJson], [null, notJson], ['{"bucket":"b"}', lacks], ['{"key":"k"}', lacks], ['{"bucket":"","key":"k"}', lacks]] as const) {
    const r = await handler({ body }, context);
    assert.equal(r.statusCode, 400, String(body));
    assert.equal(r.headers['Access-Control-Allow-Origin'], '*');
    assert.equal(JSON.parse(r.body).message, message, String(body));
  }
  // a base64 body (API Gateway's isBase64Encoded) is read as its JSON
  const lacksKey = await handler({ body: Buffer.from('{"bucket":"b"}').toString('base64'), isBase64Encoded: true }, context);
  assert.equal(JSON.parse(lacksKey.body).message, lacks);
  const ok = await handler({ body: JSON.stringify({ bucket: 'images', key: 'some+guy%2Ejpg' }) }, context);
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.headers['Access-Control-Allow-Origin'], '*');
  assert.equal(ok.headers['X-App-Version'], '1');
  assert.equal(ok.headers['X-Function-Version'], '3');
  assert.deepEqual(JSON.parse(ok.body), { ...someguy, ServedBy: { AppVersion: 1, FunctionVersion: '3' } });
  assert.deepEqual(seen.map((s) => s.target), ['RekognitionService.RecognizeCelebrities', 'RekognitionService.DetectLabels']);
  assert.deepEqual(seen[0].body, { Image: { S3Object: { Bucket: 'images', Name: 'some guy.jpg' } } });
  const missing = await handler({ body: JSON.stringify({ bucket: 'images', key: 'missing.jpg' }) }, context);
  assert.equal(missing.statusCode, 400);
  assert.equal(JSON.parse(missing.body).name, 'InvalidS3ObjectException');
});

/**
 * The IAM actions of SAM policy templates used here, from the SAM policy template list:
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html
 */
const POLICY_TEMPLATE_ACTIONS: Record<string, string[]> = {
  RekognitionDetectOnlyPolicy: ['rekognition:DetectFaces', 'rekognition:DetectLabels', 'rekognition:DetectModerationLabels', 'rekognition:DetectText'],
};

/** The Rekognition actions the app's function may call with `Resource: '*'`, from its Policies. */
function rekognitionActionsAllowed(policies: unknown): Set<string> {
  const allowed = new Set<string>();
  for (const p of Array.isArray(policies) ? policies : [policies]) {
    if (typeof p !== 'object' || p === null) continue;
    for (const [name, actions] of Object.entries(POLICY_TEMPLATE_ACTIONS)) if (name in p) actions.forEach((a) => allowed.add(a));
    for (const s of ((p as { Statement?: unknown[] }).Statement ?? []) as { Effect?: string; Action?: string | string[]; Resource?: unknown }[]) {
      if (s.Effect !== 'Allow' || s.Resource !== '*') continue;
      for (const a of [s.Action ?? []].flat()) allowed.add(a);
    }
  }
  return allowed;
}

test('every template of the app lets its function call each Rekognition action the handlers call (IAM is checked on AWS only)', async () => {
  const root = join(SAM_APP, '..');
  const handlers = [join(SAM_APP, 'src', 'app.mjs')];
  const templates = [TEMPLATE];
  for (const dir of await readdir(join(root, 'templates'))) {
    const files = await readdir(join(root, 'templates', dir));
    if (files.includes('template.yaml')) templates.push(join(root, 'templates', dir, 'template.yaml'));
    if (files.includes('src')) handlers.push(join(root, 'templates', dir, 'src', 'app.mjs'));
  }
  // RecognizeCelebritiesCommand → rekognition:RecognizeCelebrities
  const called = new Set<string>();
  for (const h of handlers) {
    const code = await readFile(h, 'utf8');
    for (const m of code.matchAll(/new (\w+)Command\(/g)) called.add(`rekognition:${m[1]}`);
  }
  assert.ok(called.has('rekognition:RecognizeCelebrities') && called.has('rekognition:DetectLabels'), [...called].join(', '));
  assert.ok(templates.length >= 4, templates.join(', '));
  for (const file of templates) {
    const t = parseTemplate(await readFile(file, 'utf8'), file);
    const fn = t.functions.find((f) => f.logicalId === 'GetInfoFunction')!;
    const allowed = rekognitionActionsAllowed(fn.policies);
    for (const action of called) assert.ok(allowed.has(action), `${file}: GetInfoFunction may not call ${action}`);
    // and Rekognition reads the image with the function's credentials
    assert.ok((fn.policies as object[]).some((p) => 'S3ReadPolicy' in p), `${file}: S3ReadPolicy`);
  }
});

test("each template's app names a version of its own, and the canary's is the one the canary step says", async () => {
  // the canary's code was app version 3, as hooks-failing's: the lab published "version 3 of the
  // app" as Lambda version 5, after hooks-alarm had rolled back Lambda version 3
  const { CANARY_APP_VERSION } = await import('../../src/steps/canary/lesson.js');
  const templates = fileURLToPath(new URL('../../../templates/', import.meta.url));
  const versions = new Map<number, string>([[1, 'sam-app']]);
  const appVersion = async (file: string) => Number(/^const APP_VERSION = (\d+);$/m.exec(await readFile(file, 'utf8'))?.[1]);
  assert.equal(await appVersion(join(SAM_APP, 'src', 'app.mjs')), 1);
  for (const dir of (await readdir(templates, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    const file = join(templates, dir.name, 'src', 'app.mjs');
    const v = await appVersion(file).catch(() => undefined);
    if (v === undefined) continue;
    assert.ok(Number.isInteger(v), `${dir.name}: APP_VERSION`);
    assert.equal(versions.get(v), undefined, `${dir.name} and ${versions.get(v)} are both app version ${v}`);
    versions.set(v, dir.name);
  }
  assert.equal(versions.get(CANARY_APP_VERSION), 'canary');
});

/**
 * The files the lab ships and shows the learner as diffs ("show me the change", "where your files
 * differ from the reference"): the bundled app and every step's reference under templates/.
 */
async function shippedFiles(): Promise<string[]> {
  const root = join(SAM_APP, '..');
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'samples' && e.name !== 'node_modules') await walk(p);
      } else if (/\.(mjs|yaml)$/.test(e.name)) out.push(p);
    }
  };
  await walk(SAM_APP);
  await walk(join(root, 'templates'));
  return out;
}

/** the prose lines of a shipped file: comments, and a YAML block scalar's text (Description: >) */
function proseLines(file: string, text: string): { n: number; line: string }[] {
  const lines = text.split('\n');
  const out: { n: number; line: string }[] = [];
  let blockIndent = -1;
  lines.forEach((line, i) => {
    const indent = /^ */.exec(line)![0].length;
    if (blockIndent >= 0 && (line.trim() === '' || indent > blockIndent)) {
      out.push({ n: i + 1, line });
      return;
    }
    blockIndent = -1;
    if (file.endsWith('.yaml')) {
      if (/^\s*#/.test(line)) out.push({ n: i + 1, line });
      if (/:\s*[>|][-+]?\s*$/.test(line)) blockIndent = indent;
    } else if (/^\s*(\/\/|\/\*|\*)/.test(line)) out.push({ n: i + 1, line });
  });
  return out;
}

test('every comment of the files the lab shows as diffs fits 80 columns with the diff\'s "+ "', async () => {
  // a diff line is the file's line after "+ " or "- ": at more than 78 columns, about 150 lines of
  // "show me the change" wrapped in an 80-column terminal. Code and YAML values are left as they
  // are (the lab's checks and the reference diffs read them); a comment that is one URL cannot break.
  const files = await shippedFiles();
  assert.ok(files.length >= 12, files.join(', '));
  const long: string[] = [];
  for (const file of files) {
    for (const { n, line } of proseLines(file, await readFile(file, 'utf8'))) {
      if ([...line].length <= 78 || /^\s*(#|\/\/|\*)\s*https?:\/\/\S+$/.test(line)) continue;
      long.push(`${file.slice(SAM_APP.length - 'sam-app/'.length)}:${n} (${[...line].length}): ${line.trim()}`);
    }
  }
  assert.deepEqual(long, []);
});

test("the app's code and templates fit an 80-column editor or terminal: no line over 78 columns but a URL or an ARN", async () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const files = ['sam-app/src/app.mjs', 'sam-app/template.yaml'];
  for (const entry of await readdir(join(root, 'templates'), { recursive: true })) {
    if (/\.(mjs|yaml)$/.test(entry)) files.push(join('templates', entry));
  }
  assert.ok(files.length > 8, files.join(' '));
  const long: string[] = [];
  for (const file of files) {
    (await readFile(join(root, file), 'utf8')).split('\n').forEach((line, i) => {
      // a URL or one !Sub'd ARN cannot be broken without breaking what it says
      if ([...line].length > 78 && !/https:\/\/|!Sub '(arn:|\$\{)/.test(line)) long.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(long, []);
});
