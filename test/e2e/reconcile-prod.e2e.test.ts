/**
 * Issue 4 acceptance, end to end (part 2 of 3, the protected prod example): the CLI (plan / apply / drift / destroy)
 * with real terraform against moto + the MWAA fake. The prod example is applied from scratch (then an empty plan),
 * KMS rotation disabled behind Terraform's back is found and reconciled, a subnet change of protected prod is
 * refused (plan, apply and destroy), and a spec naming another account is refused by the provider. The tests build
 * on each other in order (one applied environment, created once). Part 1: reconcile-dev.e2e.test.ts.
 */
import { DisableKeyRotationCommand, ListKeysCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { PROD, reconcileFixture } from '../support/reconcile-fixture';

const f = reconcileFixture();

test('apply the protected prod example from scratch; the next plan is empty', async () => {
  const applied = await f.tf('apply', PROD, '--auto-approve');
  expect({ code: applied.code, err: applied.err.split('\n').filter((l) => !l.startsWith('[')).join('\n') }).toEqual({ code: 0, err: '' });
  const again = await f.tf('plan', PROD);
  expect(again.out).toBe(`${PROD} [protected]: no changes\n`);
  expect(again.code).toBe(0);
});

test('KMS rotation disabled on the prod key is drift; reconcile restores it', async () => {
  const keys = await f.kms().send(new ListKeysCommand({}));
  let keyId: string | undefined;
  for (const k of keys.Keys ?? []) {
    const d = await f.kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }));
    if (d.KeyMetadata?.Description?.includes(PROD) || d.KeyMetadata?.KeyManager === 'CUSTOMER') keyId = k.KeyId;
  }
  expect(keyId).toBeDefined();
  await f.kms().send(new DisableKeyRotationCommand({ KeyId: keyId }));
  const drift = await f.tf('drift', PROD);
  expect(drift.code).toBe(2);
  expect(drift.out).toMatch(/~ aws_kms_key\.\S+ \(changed outside Terraform\)\n(.*\n)*? +enable_key_rotation: true -> false/);
  const fixed = await f.tf('drift', PROD, '--reconcile');
  expect({ code: fixed.code, err: fixed.err.split('\n').filter((l) => !l.startsWith('[')).join('\n') }).toEqual({ code: 0, err: '' });
  // --reconcile plans again after its apply and says so: that plan is the proof (no separate plan here)
  expect(fixed.out).toContain(`${PROD}: reconciled`);
  expect(fixed.out).toContain('next plan: no changes');
});

test('changing the subnets of protected prod is refused, naming the resource and the reason', async () => {
  f.editSpec(PROD, (doc) => {
    const prefix = String(doc.getIn(['network', 'vpcCidr'])).split('.').slice(0, 2).join('.');
    doc.setIn(['network', 'privateSubnets'], [`${prefix}.3.0/24`, `${prefix}.4.0/24`]);
  });
  const planned = await f.tf('plan', PROD);
  expect(planned.code).toBe(1);
  const text = planned.out + planned.err;
  expect(text).toMatch(new RegExp(`^${PROD} \\[protected\\]: ERROR`, 'm'));
  expect(text).toContain('aws_mwaa_environment.environment');
  expect(text).toMatch(/prevent_destroy/);
  const applied = await f.tf('apply', PROD, '--auto-approve');
  expect(applied.code).toBe(1);
  expect(applied.err).toContain(PROD);
  expect(applied.err).toMatch(/prevent_destroy/);
  expect(f.em.mwaa.environments.get(PROD)?.Status).toBe('AVAILABLE');
  const destroy = await f.tf('destroy', PROD, '--auto-approve');
  expect(destroy.code).toBe(1);
  expect(destroy.err).toContain(`${PROD}: refused: the environment is protected`);
});

test('account guard: a spec naming another account is refused by the provider before any change', async () => {
  const other = f.prodAccount ?? '111122223333';
  f.editSpec(PROD, (doc) => {
    doc.set('account', other);
    // a consistent spec of the other account (its web-login roles too), so the provider's guard is what refuses it
    const web = doc.getIn(['iam', 'webAccess']) as { toJSON(): Record<string, string[]> } | undefined;
    if (web) doc.setIn(['iam', 'webAccess'], Object.fromEntries(Object.entries(web.toJSON()).map(([r, arns]) => [r, arns.map((a) => a.replace(/:iam::\d{12}:/, `:iam::${other}:`))])));
  });
  const planned = await f.tf('plan', PROD);
  expect(planned.code).toBe(1);
  expect(planned.out + planned.err).toMatch(new RegExp(`${PROD}[^\\n]*\\n(.*\\n)*.*AWS account ID not allowed`));
});
