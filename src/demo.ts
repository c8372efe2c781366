/**
 * `npm run demo`: the whole product in about a minute, no AWS account. Starts the emulators (moto + the MWAA fake,
 * from the test support code: the only place emulator settings live), applies the dev example in a scratch copy of
 * the repository, changes things behind Terraform's back through the AWS SDK, shows `drift` finding it (exit 2) and
 * `drift --reconcile` fixing it, then stops the emulators.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MWAAClient, UpdateEnvironmentCommand, GetEnvironmentCommand } from '@aws-sdk/client-mwaa';
import { S3Client, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { parseDocument } from 'yaml';
import { main } from './cli/index';
import { packageRoot } from './paths';
import { startEmulators, TEST_REGION } from './sandbox/emulators';
import { copyReferenced } from './sandbox/example-repo';

const DEV = 'analytics-dev';

const FALLBACK = `apiVersion: mwaa-gitops/v1
name: ${DEV}
region: us-east-1
tags:
  team: analytics
airflow:
  version: "2.10.3"
  workers: { min: 1, max: 5 }
  webserverAccess: PUBLIC_ONLY
network:
  mode: create
  routing: public
`;

const say = (s: string) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);

/** Runs the CLI in-process, printing as it goes; `seen` collects what it printed to stdout. */
async function run(args: string[], seen?: string[]): Promise<number> {
  process.stdout.write(`$ mwaa-gitops ${args.join(' ')}\n`);
  process.exitCode = undefined;
  const write = process.stdout.write.bind(process.stdout);
  if (seen) {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      seen.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
  try {
    const code = await main(['node', 'mwaa-gitops', ...args]);
    process.exitCode = undefined;
    process.stdout.write(`(exit ${code})\n`);
    return code;
  } finally {
    process.stdout.write = write;
  }
}

export async function demo(): Promise<number> {
  const started = Date.now();
  const repo = packageRoot(); // the demo runs from this checkout (it is not in the published package)
  say('starting the emulators (moto for EC2/S3/IAM/KMS/STS/Logs, the MWAA API fake), all on loopback');
  const em = await startEmulators({ repoRoot: repo, mwaa: { transitionDelayMs: 1000 } });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-gitops-demo-'));
  try {
    fs.mkdirSync(path.join(work, 'environments'));
    const example = path.join(repo, 'environments', `${DEV}.yaml`);
    // The demo's copy leaves the bucket's lifecycle unmanaged: after creating a lifecycle configuration the AWS
    // provider waits a fixed 55 s for S3 to report it consistently (on real AWS that wait runs beside MWAA's 20-30
    // minute create; here it would be most of the demo). Everything else is the example as shipped.
    const spec = parseDocument(fs.existsSync(example) ? fs.readFileSync(example, 'utf8') : FALLBACK);
    spec.setIn(['bucket', 'manageLifecycle'], false);
    fs.writeFileSync(path.join(work, 'environments', `${DEV}.yaml`), String(spec));
    copyReferenced(repo, work);
    const target = em.writeTarget(path.join(work, '.emulator-target.json'));
    const common = ['-C', work];
    const t = ['--provider-args', target];
    process.stdout.write(`scratch repository: ${work}\n`);
    process.stdout.write(`(its copy of ${DEV} sets bucket.manageLifecycle: false: the AWS provider waits a fixed 55 s after creating an S3 lifecycle configuration)\n`);

    say(`plan: what it takes to create ${DEV} (--detailed-exitcode: 2 = changes)`);
    if ((await run([...common, 'plan', DEV, '--detailed-exitcode', ...t])) !== 2) throw new Error('expected changes');
    say('apply the saved plan');
    if ((await run([...common, 'apply', DEV, ...t])) !== 0) throw new Error('apply failed');
    say('plan again: nothing to do');
    if ((await run([...common, 'plan', DEV, '--detailed-exitcode', ...t])) !== 0) throw new Error('expected no changes');

    say('someone changes things in the console: max workers 5 -> 9, bucket versioning suspended');
    await injectConsoleChanges(em, DEV);

    say('drift: found (exit 2), exactly what was changed');
    const seen: string[] = [];
    if ((await run([...common, 'drift', DEV, ...t], seen)) !== 2) throw new Error('expected drift');
    // the demo checks itself: the two injected changes, nothing else (no computed default read back as drift)
    const items = seen.join('').split('\n').filter((l) => /^ {2}[~-] /.test(l) || /^ {6}\S/.test(l)).map((l) => l.trim().split(':')[0]);
    const expected = ['~ aws_mwaa_environment.environment (changed outside Terraform)', 'max_workers', '~ aws_s3_bucket_versioning.bucket_versioning (changed outside Terraform)', 'versioning_configuration[0].status'];
    if (JSON.stringify(items) !== JSON.stringify(expected)) throw new Error(`drift should show only the injected changes, got:\n${items.join('\n')}`);
    say('drift --reconcile: the spec is applied back, and the next plan is empty');
    if ((await run([...common, 'drift', DEV, '--reconcile', ...t])) !== 0) throw new Error('reconcile failed');
    say(`done in ${Math.round((Date.now() - started) / 1000)}s`);
    return 0;
  } finally {
    await em.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** What the demo changes behind Terraform's back: MWAA max workers + 4, source bucket versioning suspended. */
export async function injectConsoleChanges(em: Awaited<ReturnType<typeof startEmulators>>, name: string): Promise<void> {
  const creds = { region: TEST_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const mwaa = new MWAAClient({ ...creds, endpoint: `http://127.0.0.1:${em.mwaa.listenPort}`, disableHostPrefix: true });
  const env = (await mwaa.send(new GetEnvironmentCommand({ Name: name }))).Environment!;
  await mwaa.send(new UpdateEnvironmentCommand({ Name: name, MaxWorkers: (env.MaxWorkers ?? 5) + 4 }));
  const s3 = new S3Client({ ...creds, endpoint: em.target.endpoints.s3, forcePathStyle: true });
  await s3.send(new PutBucketVersioningCommand({ Bucket: env.SourceBucketArn!.replace('arn:aws:s3:::', ''), VersioningConfiguration: { Status: 'Suspended' } }));
  for (let i = 0; i < 50 && (await mwaa.send(new GetEnvironmentCommand({ Name: name }))).Environment?.Status !== 'AVAILABLE'; i++) {
    await new Promise((r) => setTimeout(r, 200));
  }
}

if (require.main === module) {
  demo().then(
    (code) => (process.exitCode = code),
    (e: Error) => {
      process.stderr.write(`demo failed: ${e.message}\n`);
      process.exitCode = 1;
    },
  );
}
