/**
 * Issue 4 acceptance, end to end (part 3 of 3): an MWAA creation failure (CREATE_FAILED) ends with an error naming
 * the environment, after which the next apply converges and destroy removes it. Part 1: reconcile-dev.e2e.test.ts.
 */
import * as fs from 'fs';
import { DEV, PUBLIC_DEV_SPEC, reconcileFixture } from '../support/reconcile-fixture';

const f = reconcileFixture();

test('MWAA creation failure ends with an error naming the environment; the next apply converges', async () => {
  const name = 'analytics-fail';
  fs.writeFileSync(f.specFile(name), PUBLIC_DEV_SPEC.replace(`name: ${DEV}`, `name: ${name}`).replace('routing: public', 'routing: public\n  vpcCidr: 10.60.0.0/16\n  publicSubnets: [10.60.10.0/24, 10.60.11.0/24]\n  privateSubnets: [10.60.20.0/24, 10.60.21.0/24]'));
  f.em.mwaa.failCreate(name);
  const failed = await f.tf('apply', name, '--auto-approve');
  expect(failed.code).toBe(1);
  expect(failed.err).toMatch(new RegExp(`^${name}: terraform apply failed \\(exit 1\\):`, 'm'));
  expect(failed.err).toMatch(/CREATE_FAILED/);
  expect(f.em.mwaa.environments.get(name)?.Status).toBe('CREATE_FAILED');
  const retry = await f.tf('apply', name, '--auto-approve');
  expect(retry.code).toBe(0);
  expect(f.em.mwaa.environments.get(name)?.Status).toBe('AVAILABLE');
  const again = await f.tf('plan', name);
  expect({ code: again.code, out: again.out }).toEqual({ code: 0, out: `${name}: no changes\n` });
  const destroyed = await f.tf('destroy', name, '--auto-approve');
  expect(destroyed.code).toBe(0);
  expect(f.em.mwaa.environments.has(name)).toBe(false);
});
