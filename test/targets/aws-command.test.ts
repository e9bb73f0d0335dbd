/**
 * The printed `aws …` commands run as printed: one quoting (invocation.ts shellWord) for the lab's
 * commands (ctx.aws), deploy --wait's "look again" and the canary's API Gateway arguments. A cloud
 * on an IPv6 host has the endpoint http://[::1]:PORT, a glob to the shell when unquoted: zsh, the
 * macOS shell, refuses the command ("no matches found"), and bash under failglob too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { awsCommand } from '../../src/targets/aws-command.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { commands } from '../../src/steps/canary/release.js';

const V6 = 'http://[::1]:4566';

/** what `aws` receives when `line` is pasted into bash with failglob (aws stands in for itself) */
const pasted = (line: string): string[] =>
  execFileSync('bash', ['-O', 'failglob', '-c', `aws() { printf '%s\\n' "$@"; }\n${line}`], { encoding: 'utf8', cwd: '/' }).trimEnd().split('\n');

function context(target: ConstructorParameters<typeof LiveLabContext>[0]['target']): LiveLabContext {
  return new LiveLabContext({
    io: new RecordingIoHost(),
    ws: workspacePaths('/tmp/sol-aws-command'),
    target,
    progress: {} as never,
    reference: {} as never,
    ci: true,
    speed: 1,
    signal: new AbortController().signal,
  });
}

test("the lab's aws commands quote the endpoint and the profile where the shell needs it", () => {
  const local = context({ kind: 'local', endpoint: V6 });
  const aws = context({ kind: 'aws', region: 'eu-west-1', profile: 'lab user' });
  try {
    const cmd = local.aws('deploy list-deployments');
    assert.equal(cmd, `aws deploy list-deployments --endpoint-url 'http://[::1]:4566'`);
    assert.deepEqual(pasted(cmd), ['deploy', 'list-deployments', '--endpoint-url', V6]);
    assert.equal(aws.aws('lambda get-alias --function-name f --name live'), `aws lambda get-alias --function-name f --name live --region eu-west-1 --profile 'lab user'`);
    // a plain endpoint stays as it was
    assert.equal(awsCommand('s3 ls', { kind: 'local', endpoint: 'http://127.0.0.1:4566' }), 'aws s3 ls --endpoint-url http://127.0.0.1:4566');
  } finally {
    local.destroy();
    aws.destroy();
  }
});

test("deploy --wait's look-again command: words quoted by the same helper", () => {
  const cmd = awsCommand(['deploy', 'get-deployment', '--deployment-id', 'd-ABCDEFGHI'], { kind: 'local', endpoint: V6 });
  assert.equal(cmd, `aws deploy get-deployment --deployment-id d-ABCDEFGHI --endpoint-url 'http://[::1]:4566'`);
  assert.deepEqual(pasted(cmd), ['deploy', 'get-deployment', '--deployment-id', 'd-ABCDEFGHI', '--endpoint-url', V6]);
});

test("the canary's arguments paste as the one argument each is", () => {
  const at = { restApiId: 'abc123', stageName: 'Prod' };
  const cmd = `aws ${commands.createCanary(at, { percentTraffic: 10, stageVariableOverrides: { lambdaAlias: "it's" } })}`;
  assert.deepEqual(pasted(cmd).slice(-2), ['--canary-settings', "percentTraffic=10,useStageCache=false,stageVariableOverrides={lambdaAlias=it's}"]);
  assert.deepEqual(pasted(`aws ${commands.removeCanary(at)}`).slice(-2), ['--patch-operations', 'op=remove,path=/canarySettings']);
});
