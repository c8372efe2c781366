/**
 * Issue 7 faults, end to end: the compiled CLI (child processes, as CI runs it) with real terraform against moto +
 * the MWAA fake. Each fault ends with exit 1 and a message naming the environment, no stack trace, a state file
 * that still parses, and the next apply converges (then an empty plan).
 *  - AWS endpoint down (every moto-served API pointed at a closed port);
 *  - throttling: the fake answers 429 for a while (absorbed by the provider's retries) and for longer than the
 *    retries last (clear failure, then convergence);
 *  - the process killed (SIGKILL of the CLI and its terraform child) in the middle of an apply, after the MWAA
 *    create request went out (in reliability-faults-kill.e2e.test.ts, on its own emulators, so it runs on another
 *    jest worker). Terraform's local backend rewrites the state in place, so the kill can leave it
 *    empty: the next apply then refuses to run (src/terraform/state-guard.ts) and names the restore step (the
 *    tool's last-good copy, taken every 0.5 s during apply). With the state intact (or restored), the environment
 *    exists in MWAA but not in the state: the next apply fails naming it with the adoption hint
 *    (src/terraform/hints.ts); after the one-line imports file it names, the next apply converges.
 * MWAA CREATE_FAILED and an unreachable MWAA endpoint are covered by test/e2e/reconcile-dev.e2e.test.ts and
 * reconcile-failure.e2e.test.ts
 * ("MWAA creation failure ...", "an unreachable MWAA endpoint ...").
 */
import * as fs from 'fs';
import * as path from 'path';
import { fx, apply, writeSpec, stateFile, stateResources, expectCleanFailure, expectConverges, faultsFixture } from './faults-fixture';

faultsFixture();

test('AWS endpoint down: exit 1 naming the environment, state untouched; the next apply converges', async () => {
  const name = 'fault-down';
  writeSpec(name);
  const dead = { ...fx.em.target, max_retries: 1, endpoints: Object.fromEntries(Object.entries(fx.em.target.endpoints).map(([k, v]) => [k, k === 'mwaa' ? v : 'http://127.0.0.1:9'])) };
  const deadTarget = path.join(fx.work, '.dead-target.json');
  fs.writeFileSync(deadTarget, JSON.stringify(dead));
  const t0 = Date.now();
  const failed = await apply(name, deadTarget);
  const failedMs = Date.now() - t0;
  expectCleanFailure(failed, name);
  expect(failed.err).toMatch(/127\.0\.0\.1:9|connection refused|connect/i);
  expect(fx.em.mwaa.environments.has(name)).toBe(false);
  if (fs.existsSync(stateFile(name))) expect(stateResources(name)).toEqual([]);
  await expectConverges(name);
  expect(stateResources(name)).toContain('aws_mwaa_environment.environment');
  console.log(`[reliability] endpoint down: failed after ${failedMs} ms`);
});

test('throttling: 429 for a while is absorbed by retries; 429 beyond the retries fails clearly, then converges', async () => {
  const name = 'fault-down'; // applied by the previous test
  writeSpec(name, 3);
  const before = fx.em.mwaa.requests.length;
  fx.em.mwaa.throttle(4);
  const absorbed = await apply(name);
  expect({ code: absorbed.code, err: absorbed.err.split('\n').filter((l) => /error/i.test(l)).join('\n') }).toEqual({ code: 0, err: '' });
  expect(fx.em.mwaa.environments.get(name)?.MaxWorkers).toBe(3);
  const throttled = fx.em.mwaa.requests.slice(before).filter((r) => r.status === 429).length;
  expect(throttled).toBe(4);

  writeSpec(name, 4);
  const limited = { ...fx.em.target, max_retries: 1 };
  const limitedTarget = path.join(fx.work, '.limited-target.json');
  fs.writeFileSync(limitedTarget, JSON.stringify(limited));
  fx.em.mwaa.throttle(100000);
  // With one attempt per call, a read moto drops under load (seen once in CI: `use of closed network connection` on
  // a DescribeNatGateways in the plan) fails the run before the throttled MWAA call, which is not the case under
  // test: such a run is made again, at most twice
  let failed = await apply(name, limitedTarget);
  for (let i = 0; i < 2 && !/Throttling|Rate exceeded|429/.test(failed.err) && /closed network connection|connection reset|unexpected EOF/i.test(failed.err); i++) {
    console.log(`[reliability] throttling: an unrelated read failed on its one attempt, run again: ${failed.err.split('\n').find((l) => /Error/.test(l)) ?? ''}`);
    failed = await apply(name, limitedTarget);
  }
  fx.em.mwaa.throttle(0);
  expectCleanFailure(failed, name);
  expect(failed.err).toMatch(/Throttling|Rate exceeded|429/);
  expect(stateResources(name)).toContain('aws_mwaa_environment.environment');
  await expectConverges(name);
  expect(fx.em.mwaa.environments.get(name)?.MaxWorkers).toBe(4);
  console.log(`[reliability] throttling: ${throttled} x 429 absorbed`);
});

