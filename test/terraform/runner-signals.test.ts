/**
 * The runner's signal handling (src/terraform/runner.ts), a protective gate. Terraform runs in a process group of its
 * own and gets exactly one SIGINT (Terraform's graceful stop) for the first interrupt, however it reaches the tool: a
 * terminal's Ctrl-C (SIGINT to the tool's group), a GitHub Actions cancellation (SIGINT to the tool alone), Jenkins
 * or `timeout` (SIGTERM to the group; timeout also to the tool first, so twice); the tool exits 1 saying so. A later
 * SIGINT is passed on; a later SIGTERM kills terraform at once and says so. A stand-in for terraform records the
 * interrupts it gets (two interrupts make the real one exit at once, losing what it was creating).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { procStat } from '../../src/terraform/run-lock';
import { standInTerraform } from '../support/stand-in-terraform';

const FROM_SOURCE = path.resolve(__dirname, '..', 'support', 'from-source.js');
const RUNNER_TS = path.resolve(__dirname, '..', '..', 'src', 'terraform', 'runner.ts');

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** Interrupts the stand-in received, one line each. */
  interrupts: string[];
  /** Whether the stand-in was still alive after the tool ended. */
  survived: boolean;
}

/**
 * Runs `terraform init` through the runner in a child process with a stand-in terraform (`stopsOnInterrupt`: it ends
 * 300 ms after SIGINT; else it ignores it), then `send(pid)` once the stand-in runs.
 */
async function interrupted(stopsOnInterrupt: boolean, send: (toolPid: number) => Promise<void>): Promise<Outcome> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-runner-signals-')));
  const tf = standInTerraform(dir, stopsOnInterrupt);
  const script = `
    require(${JSON.stringify(FROM_SOURCE)}).register();
    const { TerraformRunner } = require(${JSON.stringify(RUNNER_TS)});
    new TerraformRunner({ environment: 'env-s', workingDir: ${JSON.stringify(dir)}, binary: ${JSON.stringify(tf.bin)} })
      .init()
      .then(() => process.stdout.write('DONE\\n'), (e) => process.stdout.write('ERR ' + e.message + '\\n'));`;
  // in a process group of its own, like a command a terminal or a CI runner starts
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
  try {
    const end = Date.now() + 30000;
    while (!tf.pid()) {
      if (Date.now() > end) throw new Error('the stand-in terraform did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
    await send(child.pid!);
    // a tool that never ends (terraform never interrupted) is a result too: -1
    const [code, signal] = await Promise.race([closed, sleep(8000).then((): [number, null] => [-1, null])]);
    // gone, or a zombie not yet reaped by its new parent (then its state is Z), within 3 s
    const alive = () => {
      const stat = procStat(tf.pid());
      return stat !== undefined && stat[0] !== 'Z';
    };
    const until = Date.now() + 3000;
    while (alive() && Date.now() < until) await sleep(50);
    const survived = alive();
    return { code, signal, out, err, interrupts: tf.received(), survived };
  } finally {
    child.kill('SIGKILL');
    tf.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `signal` to `first` (a pid, or a negative process group), then `gapMs` later to `second`. */
const twice = (signal: NodeJS.Signals, first: number, gapMs: number, second: number) =>
  (async () => {
    process.kill(first, signal);
    await sleep(gapMs);
    process.kill(second, signal);
  })();

test.each([
  ['SIGTERM to the tool alone (kill, systemd, docker stop)', 'SIGTERM', false],
  ['SIGTERM to its process group (Jenkins)', 'SIGTERM', true],
  ['SIGINT to its process group (a terminal\'s Ctrl-C)', 'SIGINT', true],
  ['SIGINT to the tool alone (a GitHub Actions cancellation of an exec\'d step)', 'SIGINT', false],
] as const)('%s while terraform runs: terraform gets one SIGINT, stops gracefully, and the tool exits 1 saying so', async (_label, signal, group) => {
  const r = await interrupted(true, async (pid) => void process.kill(group ? -pid : pid, signal));
  expect(r.interrupts).toEqual(['SIGINT']);
  expect(r.out).toBe(`ERR env-s: terraform init interrupted (${signal}): terraform was stopped gracefully (it releases its lock and saves the state it has)\n`);
  expect([r.code, r.signal, r.err]).toEqual([1, null, '']);
}, 20000);

test('the same SIGTERM delivered twice at once (GNU timeout: the command, then its process group) is one request', async () => {
  const r = await interrupted(true, (pid) => twice('SIGTERM', pid, 20, -pid));
  expect(r.interrupts).toEqual(['SIGINT']);
  expect(r.out).toContain('ERR env-s: terraform init interrupted (SIGTERM): terraform was stopped gracefully');
  expect([r.code, r.signal, r.err]).toEqual([1, null, '']);
}, 20000);

test('a second SIGTERM later, terraform still running: killed at once, and the tool says so', async () => {
  const r = await interrupted(false, (pid) => twice('SIGTERM', pid, 1500, pid));
  expect(r.interrupts).toEqual(['SIGINT']);
  expect(r.survived).toBe(false);
  expect([r.code, r.signal]).toEqual([1, null]);
  expect(r.err).toBe('mwaa-gitops: a second SIGTERM: terraform was killed at once (SIGKILL), without saving its state or releasing its lock; the next run names what to restore or unlock.\n');
}, 20000);

test('a second Ctrl-C later is passed on to terraform (its own convention: it then exits at once)', async () => {
  const r = await interrupted(false, async (pid) => {
    await twice('SIGINT', -pid, 1500, -pid);
    await sleep(500);
    process.kill(pid, 'SIGKILL'); // the stand-in ignores interrupts: end the tool
  });
  expect(r.interrupts).toEqual(['SIGINT', 'SIGINT']);
}, 20000);
