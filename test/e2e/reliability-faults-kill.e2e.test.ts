/**
 * Issue 7 faults, end to end (the kill; the other faults are in reliability-faults.e2e.test.ts, whose header says
 * what every fault must end with): the compiled CLI with real terraform against moto + the MWAA fake, the process
 * killed (SIGKILL of the CLI and its terraform child) in the middle of an apply, after the MWAA create request went
 * out. Terraform's local backend rewrites the state in place, so the kill can leave it empty: the next apply then
 * refuses to run (src/terraform/state-guard.ts) and names the restore step (the tool's last-good copy, taken every
 * 0.5 s during apply). With the state intact (or restored), the environment exists in MWAA but not in the state: the
 * next apply fails naming it with the adoption hint (src/terraform/hints.ts); after the one-line imports file it
 * names, the next apply converges.
 *
 * And a Ctrl-C at the same point (SIGINT to the CLI's process group, as a terminal sends it): Terraform stops
 * gracefully and records the environment it was creating (tainted), the lock is free, the next apply converges. The
 * provider the tool starts for the apply runs in a process group of its own: in the CLI's group it got the Ctrl-C
 * too, stopped at once (a provider in debug mode does), and the environment was left created in MWAA but absent
 * from the state, as after a SIGKILL.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fx, cli, apply, writeSpec, stateFile, stateResources, expectCleanFailure, expectConverged, STACK, faultsFixture } from './faults-fixture';

faultsFixture();

test('process killed (SIGKILL, CLI and terraform) during the MWAA create: state readable, lock free, adoption hint, then converges', async () => {
  const name = 'fault-kill';
  writeSpec(name);
  let killedAt = '';
  const killed = await cli(['apply', name, '--auto-approve', '--provider-args', fx.target], (err, killGroup) => {
    // kill once terraform reports the environment create in progress (the create request was sent)
    if (!killedAt && fx.em.mwaa.environments.has(name)) {
      killedAt = err.split('\n').filter((l) => l.trim()).pop() ?? '';
      killGroup();
    }
  });
  expect(killed.signal).toBe('SIGKILL');
  expect(fx.em.mwaa.environments.has(name)).toBe(true);
  // Terraform's local backend rewrites the state in place: the kill may land mid-write and leave it empty or cut
  // off. The tool then refuses to run (Terraform would read "no state" and create everything again) and names the
  // restore step; its last-good copy (taken while the apply ran) is the restore point.
  const text = fs.existsSync(stateFile(name)) ? fs.readFileSync(stateFile(name), 'utf8') : '';
  let intact = true;
  try {
    JSON.parse(text);
  } catch {
    intact = false;
  }
  const good = `${stateFile(name)}.last-good`;
  console.log(`[reliability] killed at: ${killedAt}; state file ${text.length} bytes, ${intact ? 'intact' : 'EMPTY/CUT OFF'}; last-good copy: ${fs.existsSync(good) ? stateResources(name + '-lg').length : 0} resources`);
  if (!intact) {
    const creates = fx.em.mwaa.requests.filter((r) => r.operation === 'CreateEnvironment').length;
    const refused = await apply(name);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`^${name}: the Terraform state file `, 'm'));
    expect(refused.out + refused.err).not.toMatch(STACK);
    expect(refused.err).toMatch(/state file .* is (empty|cut off)/);
    expect(refused.err).toContain(`cp ${good} ${stateFile(name)}`);
    expect(fs.readFileSync(stateFile(name), 'utf8')).toBe(text); // untouched
    expect(fx.em.mwaa.requests.filter((r) => r.operation === 'CreateEnvironment').length).toBe(creates); // nothing ran
    fs.copyFileSync(good, stateFile(name));
  }
  const held = stateResources(name);
  expect(held.length).toBeGreaterThan(0);
  console.log(`[reliability] state after kill${intact ? '' : ' (restored from last-good)'}: ${held.length} resources, MWAA environment in state: ${held.includes('aws_mwaa_environment.environment')}`);
  const retry = await apply(name);
  console.log(`[reliability] apply after kill: exit ${retry.code}\n${retry.err.split('\n').filter((l) => !l.startsWith('[')).slice(0, 30).join('\n')}`);
  expect(retry.err).not.toMatch(/Error acquiring the state lock/);
  expect(retry.out + retry.err).not.toMatch(STACK);
  if (!held.includes('aws_mwaa_environment.environment')) {
    // Terraform died before recording the environment it had asked MWAA to create: the next apply cannot create it
    // again; the tool names the environment and gives the adoption step, which then converges.
    expectCleanFailure(retry, name);
    expect(retry.err).toMatch(/already exists/i);
    expect(retry.err).toContain(`hint: ${name} exists in MWAA but not in this environment's Terraform state`);
    expect(retry.err).toContain(`environments/${name}.imports.json`);
    const importsFile = path.join(fx.work, 'environments', `${name}.imports.json`);
    fs.writeFileSync(importsFile, JSON.stringify({ imports: { 'aws_mwaa_environment.environment': name } }));
    const adopted = await apply(name);
    expect({ code: adopted.code, err: adopted.err.split('\n').filter((l) => /error/i.test(l)).join('\n') }).toEqual({ code: 0, err: '' });
    // the import is done; as the hint says, the file goes (a kept import block makes later plans exit 2)
    fs.rmSync(importsFile);
  } else {
    expect(retry.code).toBe(0);
  }
  // the adopting (or retried) apply succeeded: the next plan has no changes (another apply would only plan)
  await expectConverged(name);
  expect(stateResources(name)).toContain('aws_mwaa_environment.environment');
});

test('Ctrl-C (SIGINT to the process group) during the MWAA create: terraform stops gracefully, the environment is in the state, then converges', async () => {
  const name = 'fault-ctrlc';
  writeSpec(name);
  // the environment stays CREATING for 5 s, so the Ctrl-C lands while the provider waits on it
  fx.em.mwaa.transitionDelayMs = 5000;
  let signalGroup: ((signal?: NodeJS.Signals) => void) | undefined;
  let sent = false;
  const poll = setInterval(() => {
    if (!sent && signalGroup && fx.em.mwaa.environments.has(name)) {
      sent = true;
      signalGroup('SIGINT');
    }
  }, 50);
  let interrupted: Awaited<ReturnType<typeof cli>>;
  try {
    interrupted = await cli(['apply', name, '--auto-approve', '--provider-args', fx.target], (_err, signal) => (signalGroup ??= signal));
  } finally {
    clearInterval(poll);
    fx.em.mwaa.transitionDelayMs = 500;
  }
  expect(sent).toBe(true);
  expect({ code: interrupted.code, signal: interrupted.signal }).toEqual({ code: 1, signal: null });
  expect(interrupted.err).toContain(`${name}: terraform apply interrupted (SIGINT): terraform was stopped gracefully`);
  expect(interrupted.out + interrupted.err).not.toMatch(STACK);
  // what Terraform does when it owns its provider: the resource it was creating is recorded (tainted), not lost
  expect(stateResources(name)).toContain('aws_mwaa_environment.environment');
  // MWAA refuses to delete an environment while it is CREATING: the next apply (which replaces the tainted one) waits
  const until = Date.now() + 60000;
  while (fx.em.mwaa.environments.get(name)?.Status !== 'AVAILABLE' && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  const retry = await apply(name);
  expect({ code: retry.code, err: retry.err.split('\n').filter((l) => /error/i.test(l)).join('\n') }).toEqual({ code: 0, err: '' });
  await expectConverged(name);
});
