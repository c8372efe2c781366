/**
 * `plan` of several environments where one fails: each environment's result goes to stdout and each environment's
 * error to stderr, so the plans that succeeded stay on stdout; `--format json` keeps one complete document on stdout.
 * Offline: one environment pins its zone IDs (no AWS call), the other asks the account for its zones, which the
 * offline provider cannot reach, so its plan fails.
 *
 * Terraform runs once, for the text run; the json run gets the same environments (validated and synthesized again)
 * whose runners answer with what terraform answered the text run (each environment's init, plan and show, its
 * failure included): what differs between the two runs is the command's rendering and streams, not terraform's
 * answers, and each plan costs a provider start per environment.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run as plan } from '../../src/cli/plan';
import { recording, replaying, type Recorded } from '../support/terraform-replay';
import { OFFLINE_PROVIDER_OVERRIDES } from '../../src/sandbox/offline';
import { publicNetworkSpec } from '../support/specs';

/** `account` is given: no caller-identity lookup. */
function spec(name: string, pinned: boolean): string {
  return publicNetworkSpec({
    name,
    octet: 192,
    region: 'eu-west-1',
    account: '123456789012',
    airflow: ['environmentClass: mw1.small'],
    network: pinned ? ['availabilityZoneIds: [euw1-az1, euw1-az2]'] : [],
    bucket: [`name: ${name}-bucket-123`],
  });
}

jest.setTimeout(240000);

describe('plan of two environments, one failing', () => {
  let repo: string;
  let text: Awaited<ReturnType<typeof plan>>;
  let json: Awaited<ReturnType<typeof plan>>;
  beforeAll(async () => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-streams-'));
    fs.mkdirSync(path.join(repo, 'environments'));
    fs.writeFileSync(path.join(repo, 'environments', 'good-env.yaml'), spec('good-env', true));
    fs.writeFileSync(path.join(repo, 'environments', 'lookup-env.yaml'), spec('lookup-env', false));
    const args = path.join(repo, 'provider-args.json');
    fs.writeFileSync(args, JSON.stringify(OFFLINE_PROVIDER_OVERRIDES));
    const answers: Recorded = {};
    text = await plan({ targets: ['good-env', 'lookup-env'], repo, providerArgs: args, parallel: '2' }, { prepare: recording(answers) });
    // terraform was asked: both environments planned, one of them failed
    expect([answers['good-env']?.plan && 'value' in answers['good-env'].plan, answers['lookup-env']?.plan && 'error' in answers['lookup-env'].plan]).toEqual([true, true]);
    json = await plan({ targets: ['good-env', 'lookup-env'], repo, providerArgs: args, format: 'json' }, { prepare: replaying(answers) });
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('text: the good plan on stdout, the failure on stderr, exit 1', () => {
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/^good-env: \d+ to add, 0 to change, 0 to destroy/m);
    expect(text.stdout).not.toContain('lookup-env');
    expect(text.stderr).toMatch(/^lookup-env: ERROR/m);
    expect(text.stderr).not.toContain('good-env');
  });

  test('json: one complete document on stdout with both environments; the failure also on stderr', () => {
    expect(json.exitCode).toBe(1);
    const doc = JSON.parse(json.stdout) as unknown;
    const s = JSON.stringify(doc);
    expect(s).toContain('good-env');
    expect(s).toContain('lookup-env');
    // the good environment's plan, the same headline as the text run's; the failed one with its error
    const envs = (doc as { environments: Array<{ environment: string; summary?: string; error?: string }> }).environments;
    expect(envs.map((e) => [e.environment, Boolean(e.error)])).toEqual([['good-env', false], ['lookup-env', true]]);
    expect(text.stdout).toContain(`good-env: ${envs[0].summary}`);
    expect(json.stderr).toMatch(/^lookup-env: ERROR/m);
  });
});
