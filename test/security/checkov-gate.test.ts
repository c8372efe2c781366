/**
 * The security-scan gate without checkov (npm test must run after `npm ci` alone; the gate itself runs checkov in
 * .ci/run): checkov's report format (a recorded report of a real run) -> findings with full addresses, the
 * allowlist's parsing and its failure modes, the comparison (unexpected findings and stale entries both fail),
 * and the checked-in allowlist against the stacks the scan synthesizes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { blockIndex, compare, formatComparison, parseAllowlist, parseCheckovOutput, resolveAddress, type Finding } from '../../scripts/checkov-gate';
import { ALLOWLIST, pinnedCheckovVersion, variantFiles } from '../../scripts/scan';
import { discoverEnvironments, validateFiles } from '../../src/engine/validate';
import { synthesize } from '../../src/synth';

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'checkov');

/** The recorded report of `checkov --framework terraform_json -o json` on test/fixtures/checkov/stacks (3.3.30). */
function recordedReport(): string {
  return fs.readFileSync(path.join(FIXTURES, 'shared-network.report.json'), 'utf8').split('<stacks>').join(path.join(FIXTURES, 'stacks'));
}

const finding = (check: string, env: string, resource: string): Finding => ({ check, title: `title of ${check}`, env, resource, file: `/x/stacks/${env}/cdk.tf.json`, lines: [10, 20] });

const ENTRY = (check: string, envs: string[], resources: string[]) =>
  `  - check: ${check}\n    environments: [${envs.join(', ')}]\n    resources: [${resources.join(', ')}]\n    reason: A reason long enough for a reviewer to read it.\n`;

describe('checkov report -> findings', () => {
  it('reads a real checkov report: counts, version, every finding with its full Terraform address', () => {
    const s = parseCheckovOutput(recordedReport());
    expect(s.checkovVersion).toBe('3.3.30');
    expect({ passed: s.passed, failed: s.failed, parsingErrors: s.parsingErrors }).toEqual({ passed: 38, failed: 9, parsingErrors: 0 });
    expect(s.scannedFiles).toEqual([path.join(FIXTURES, 'stacks', 'shared-network', 'cdk.tf.json')]);
    // checkov's terraform_json runner says `resource.log_task`; the gate recovers the type from the block's line
    expect(s.findings.map((f) => `${f.check} ${f.env} ${f.resource}`)).toEqual([
      'CKV_AWS_144 shared-network aws_s3_bucket.bucket',
      'CKV_AWS_18 shared-network aws_s3_bucket.bucket',
      'CKV_AWS_300 shared-network aws_s3_bucket_lifecycle_configuration.bucket_lifecycle',
      'CKV_AWS_338 shared-network aws_cloudwatch_log_group.log_dagprocessing',
      'CKV_AWS_338 shared-network aws_cloudwatch_log_group.log_scheduler',
      'CKV_AWS_338 shared-network aws_cloudwatch_log_group.log_task',
      'CKV_AWS_338 shared-network aws_cloudwatch_log_group.log_webserver',
      'CKV_AWS_338 shared-network aws_cloudwatch_log_group.log_worker',
      'CKV2_AWS_62 shared-network aws_s3_bucket.bucket',
    ]);
  });

  it('reads the bare summary checkov prints when it found nothing to scan (no file counts as scanned)', () => {
    const s = parseCheckovOutput(JSON.stringify({ passed: 0, failed: 0, skipped: 0, parsing_errors: 0, resource_count: 0, checkov_version: '3.3.30' }));
    expect(s).toMatchObject({ passed: 0, failed: 0, scannedFiles: [], findings: [] });
  });

  it('refuses a short resource name it cannot place in the stack, rather than guessing', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'stacks', 'shared-network', 'cdk.tf.json'), 'utf8');
    const index = blockIndex(text);
    const bucketLine = [...index].find(([, a]) => a === 'aws_s3_bucket.bucket')![0];
    expect(resolveAddress('resource.bucket', bucketLine, index)).toBe('aws_s3_bucket.bucket');
    expect(() => resolveAddress('resource.bucket', bucketLine + 1, index)).toThrow(/cannot resolve checkov resource "resource.bucket"/);
    expect(() => resolveAddress('resource.other', bucketLine, index)).toThrow(/cannot resolve/);
    expect(resolveAddress('aws_vpc.vpc', 1, index)).toBe('aws_vpc.vpc');
  });

  it('indexes data sources as data.<type>.<name>', () => {
    const text = JSON.stringify({ data: { aws_availability_zones: { available: { state: 'available' } } }, resource: { aws_vpc: { vpc: {} } } }, null, 2);
    const index = blockIndex(text);
    expect([...index.values()]).toEqual(['data.aws_availability_zones.available', 'aws_vpc.vpc']);
    const line = [...index].find(([, a]) => a.startsWith('data.'))![0];
    expect(resolveAddress('data.available', line, index)).toBe('data.aws_availability_zones.available');
    expect(() => resolveAddress('resource.available', line, index)).toThrow(/cannot resolve/);
  });
});

describe('allowlist', () => {
  it('parses entries with their line numbers', () => {
    const entries = parseAllowlist(`# comment\nallow:\n${ENTRY('CKV_AWS_18', ['a', 'b'], ['aws_s3_bucket.bucket'])}${ENTRY('CKV2_AWS_12', ['a'], ['aws_vpc.vpc'])}`);
    expect(entries.map((e) => [e.check, e.environments, e.resources, e.line])).toEqual([
      ['CKV_AWS_18', ['a', 'b'], ['aws_s3_bucket.bucket'], 3],
      ['CKV2_AWS_12', ['a'], ['aws_vpc.vpc'], 7],
    ]);
  });

  it.each([
    ['no reason', 'allow:\n  - check: CKV_AWS_18\n    environments: [a]\n    resources: [aws_s3_bucket.bucket]\n', /:2: `reason` must say why/],
    ['a one-word reason', 'allow:\n  - check: CKV_AWS_18\n    environments: [a]\n    resources: [aws_s3_bucket.bucket]\n    reason: fine\n', /`reason` must say why/],
    ['an unknown key', `allow:\n${ENTRY('CKV_AWS_18', ['a'], ['aws_s3_bucket.bucket'])}    resource: x\n`, /unknown key `resource`/],
    ['a bad check id', `allow:\n${ENTRY('AWS_18', ['a'], ['aws_s3_bucket.bucket'])}`, /`check` must be a checkov check id/],
    ['a wildcard resource', `allow:\n${ENTRY('CKV_AWS_18', ['a'], ['"*"'])}`, /`resources` must be a non-empty list of Terraform addresses/],
    ['no environments', 'allow:\n  - check: CKV_AWS_18\n    environments: []\n    resources: [aws_s3_bucket.bucket]\n    reason: A reason long enough for a reviewer to read it.\n', /`environments` must be a non-empty list/],
    ['the same pair twice', `allow:\n${ENTRY('CKV_AWS_18', ['a'], ['aws_s3_bucket.bucket'])}${ENTRY('CKV_AWS_18', ['b', 'a'], ['aws_s3_bucket.bucket'])}`, /:6: CKV_AWS_18 a aws_s3_bucket.bucket is already allowed by the entry at line 2/],
    ['another top-level key', `allow: []\nignore: []\n`, /one key, `allow`/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseAllowlist(text, 'allow.yaml')).toThrow(message);
  });

  it('the checked-in allowlist parses, and every entry gives a reason', () => {
    const entries = parseAllowlist(fs.readFileSync(path.join(REPO, ALLOWLIST), 'utf8'), ALLOWLIST);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.reason.length).toBeGreaterThanOrEqual(30);
  });
});

describe('comparison', () => {
  const allow = parseAllowlist(`allow:\n${ENTRY('CKV_AWS_18', ['a', 'b'], ['aws_s3_bucket.bucket'])}${ENTRY('CKV2_AWS_66', ['a'], ['aws_mwaa_environment.environment'])}`);

  it('passes when every finding is allowlisted and every pair is used', () => {
    const cmp = compare([finding('CKV_AWS_18', 'a', 'aws_s3_bucket.bucket'), finding('CKV_AWS_18', 'b', 'aws_s3_bucket.bucket'), finding('CKV2_AWS_66', 'a', 'aws_mwaa_environment.environment')], allow);
    expect({ allowed: cmp.allowed.length, unexpected: cmp.unexpected, stale: cmp.stale }).toEqual({ allowed: 3, unexpected: [], stale: [] });
  });

  it('a finding outside the allowlist is unexpected: another check, another environment, another resource', () => {
    const extra = [finding('CKV_AWS_19', 'a', 'aws_s3_bucket.bucket'), finding('CKV2_AWS_66', 'b', 'aws_mwaa_environment.environment'), finding('CKV_AWS_18', 'a', 'aws_s3_bucket.logs')];
    const cmp = compare([finding('CKV_AWS_18', 'a', 'aws_s3_bucket.bucket'), finding('CKV_AWS_18', 'b', 'aws_s3_bucket.bucket'), finding('CKV2_AWS_66', 'a', 'aws_mwaa_environment.environment'), ...extra], allow);
    expect(cmp.unexpected).toEqual(extra);
    expect(cmp.stale).toEqual([]);
  });

  it('an allowlist pair that matches nothing is stale, down to one environment of an entry', () => {
    const cmp = compare([finding('CKV_AWS_18', 'a', 'aws_s3_bucket.bucket')], allow);
    expect(cmp.unexpected).toEqual([]);
    expect(cmp.stale.map((s) => `${s.entry.line} ${s.entry.check} ${s.env} ${s.resource}`)).toEqual([
      '2 CKV_AWS_18 b aws_s3_bucket.bucket',
      '6 CKV2_AWS_66 a aws_mwaa_environment.environment',
    ]);
  });

  it('the report names each unexpected finding (check, environment, resource, title, file:lines) and each stale pair (allowlist line)', () => {
    const summary = { checkovVersion: '3.3.30', passed: 5, failed: 2, parsingErrors: 0, scannedFiles: [], findings: [] };
    const cmp = compare([finding('CKV_AWS_19', 'a', 'aws_s3_bucket.bucket'), finding('CKV_AWS_18', 'a', 'aws_s3_bucket.bucket')], allow);
    const text = formatComparison(summary, cmp, { stacks: 2, allowlistFile: 'security/checkov-allowlist.yaml', relativeTo: '/x' });
    expect(text).toContain('2 findings: 1 allowlisted, 1 unexpected; 2 stale allowlist pairs');
    expect(text).toContain('  CKV_AWS_19  a  aws_s3_bucket.bucket\n      title of CKV_AWS_19\n      stacks/a/cdk.tf.json:10-20');
    expect(text).toContain('  security/checkov-allowlist.yaml:2  CKV_AWS_18  b  aws_s3_bucket.bucket');
    expect(text).toContain('  security/checkov-allowlist.yaml:6  CKV2_AWS_66  a  aws_mwaa_environment.environment');
    expect(text).not.toContain('security scan passed');
  });
});

describe('what the scan covers', () => {
  let work: string;
  let stacks: Map<string, any>;
  let specs: ReturnType<typeof validateFiles>['environments'];
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-scan-test-'));
    const files = [...discoverEnvironments(REPO), ...variantFiles(REPO).map((f) => path.join(REPO, f))];
    const report = validateFiles(files, { repoRoot: REPO });
    specs = report.environments;
    for (const e of specs) if (!e.spec) throw new Error(`${e.file} does not validate: ${e.findings.map((f) => f.message).join('; ')}`);
    const results = synthesize(specs.map((e) => e.spec!), { repoRoot: REPO, outDir: work, stateDir: path.join(work, 'state') });
    stacks = new Map(results.map((r) => [r.env, JSON.parse(fs.readFileSync(r.file, 'utf8'))]));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('examples and variants together reach every KMS mode and every network mode', () => {
    const modes = new Set(specs.map((e) => e.spec!).flatMap((s) => [`kms:${s.encryption.kms}`, s.network.mode === 'create' ? `routing:${s.network.routing}` : 'network:existing']));
    expect([...modes].sort()).toEqual(['kms:aws-owned', 'kms:create', 'kms:existing', 'network:existing', 'routing:private', 'routing:public']);
    // the variants alone cross the examples: a private network with the AWS-owned key, a public one with a created CMK
    const variants = specs.filter((e) => e.file.includes(path.join('security', 'variants'))).map((e) => e.spec!);
    expect(variants.map((s) => `${s.network.mode === 'create' ? s.network.routing : 'existing'}/${s.encryption.kms}`).sort()).toEqual(['private/aws-owned', 'public/create']);
  });

  it('every environment and resource the allowlist names exists in the stacks the scan synthesizes', () => {
    const entries = parseAllowlist(fs.readFileSync(path.join(REPO, ALLOWLIST), 'utf8'), ALLOWLIST);
    const missing: string[] = [];
    for (const e of entries) {
      for (const env of e.environments) {
        const stack = stacks.get(env);
        if (!stack) {
          missing.push(`${ALLOWLIST}:${e.line} environment ${env} is not scanned`);
          continue;
        }
        for (const address of e.resources) {
          const parts = address.split('.');
          const block = parts[0] === 'data' ? stack.data?.[parts[1]]?.[parts[2]] : parts[0] === 'provider' ? stack.provider?.[parts[1]] : stack.resource?.[parts[0]]?.[parts[1]];
          if (!block) missing.push(`${ALLOWLIST}:${e.line} ${env} has no ${address}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('the index finds every resource block of every synthesized stack (the layout checkov line numbers refer to)', () => {
    for (const [env, stack] of stacks) {
      const text = fs.readFileSync(path.join(work, 'stacks', env, 'cdk.tf.json'), 'utf8');
      const expected = [
        ...Object.entries(stack.resource ?? {}).flatMap(([t, byName]) => Object.keys(byName as object).map((n) => `${t}.${n}`)),
        ...Object.entries(stack.data ?? {}).flatMap(([t, byName]) => Object.keys(byName as object).map((n) => `data.${t}.${n}`)),
      ];
      expect({ env, addresses: [...blockIndex(text).values()].sort() }).toEqual({ env, addresses: expected.sort() });
    }
  });

  it('checkov is pinned to an exact version', () => {
    expect(pinnedCheckovVersion(REPO)).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
