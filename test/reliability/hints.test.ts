/** Recovery hints for terraform failures the user fixes with one known step (src/terraform/hints.ts). */
import { recoveryHint, withRecoveryHint } from '../../src/terraform/hints';

test('an MWAA environment that exists but is not in the state: adoption hint naming the imports file', () => {
  const msg = 'dev: terraform apply failed (exit 1):\n  Error: creating MWAA Environment (dev): operation error MWAA: CreateEnvironment, https response error StatusCode: 400, ValidationException: Environment dev already exists.';
  const h = recoveryHint('dev', msg)!;
  expect(h).toContain('dev exists in MWAA but not in');
  expect(h).toContain('environments/dev.imports.json');
  expect(h).toContain('{"imports": {"aws_mwaa_environment.environment": "dev"}}');
  expect(withRecoveryHint('dev', msg).startsWith(msg)).toBe(true);
});

test('a held state lock: wait, or force-unlock with the lock id', () => {
  const msg = 'dev: terraform plan failed (exit 1):\n  Error: Error acquiring the state lock\n  Lock Info:\n    ID:        0f5c1a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b\n    Path:      .mwaa-gitops/state/dev/terraform.tfstate';
  const h = recoveryHint('dev', msg)!;
  expect(h).toContain('another run holds the state lock of dev');
  expect(h).toContain('force-unlock 0f5c1a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b');
});

test('other failures get no hint', () => {
  expect(recoveryHint('dev', 'dev: terraform plan failed (exit 1):\n  Error: connection refused')).toBeUndefined();
  expect(withRecoveryHint('dev', 'x')).toBe('x');
});

test('a held S3 lock file: names the lock object and `mwaa-gitops unlock <env>`', () => {
  const msg = [
    'dev: terraform apply failed (exit 1):',
    '  Error: Error acquiring the state lock',
    '  Error message: operation error S3: PutObject, https response error StatusCode: 412, RequestID: , HostID: , api error PreconditionFailed: At least one of the pre-conditions you specified did not hold',
    '  Lock Info:',
    '    ID:        d07e588b-dc45-06b6-74c1-ccee66401fb5',
    '    Path:      team-state/mwaa/dev.tfstate',
    '    Operation: OperationTypeApply',
  ].join('\n');
  const h = recoveryHint('dev', msg) ?? '';
  expect(h).toContain('the S3 lock file s3://team-state/mwaa/dev.tfstate.tflock exists');
  expect(h).toContain('clear the stale lock: mwaa-gitops unlock dev');
  expect(h).not.toContain('force-unlock');
});
