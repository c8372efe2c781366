/** One provider process per plan and per apply (TF_REATTACH_PROVIDERS): finding it, attaching to it, stopping it, falling back. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockedAwsProvider, platformDir, reattachConfig, startProvider } from '../../src/terraform/provider-session';
import { applyEnv } from '../../src/cli/apply';
import type { EnvContext } from '../../src/terraform/workflow';

const LOCK = `# This file is maintained automatically by "terraform init".\nprovider "registry.opentofu.org/hashicorp/aws" {\n  version     = "5.100.0"\n  constraints = "5.100.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n`;
const LINE = `Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{"registry.terraform.io/hashicorp/aws":{"Protocol":"grpc","ProtocolVersion":5,"Pid":42,"Test":true,"Addr":{"Network":"unix","String":"/tmp/plugin1"}}}'\n`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-session-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stack dir whose "provider" is a script: prints the reattach line (or not), then waits for a signal. */
function stack(script: string): string {
  fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), LOCK);
  const bin = path.join(dir, '.terraform', 'providers', 'registry.opentofu.org', 'hashicorp', 'aws', '5.100.0', platformDir());
  fs.mkdirSync(bin, { recursive: true });
  const file = path.join(bin, 'terraform-provider-aws_v5.100.0_x5');
  fs.writeFileSync(file, `#!${process.execPath}\n${script}`, { mode: 0o755 });
  return dir;
}

test('the lock file names the address (Terraform or OpenTofu registry) and the version', () => {
  expect(lockedAwsProvider(LOCK)).toEqual({ address: 'registry.opentofu.org/hashicorp/aws', version: '5.100.0' });
  expect(lockedAwsProvider('provider "registry.terraform.io/hashicorp/random" {\n version = "3.0.0"\n}\n')).toBeUndefined();
  expect(platformDir('linux', 'x64')).toBe('linux_amd64');
});

test('the reattach line is re-keyed to the address the lock file names', () => {
  expect(JSON.parse(reattachConfig(LINE, 'registry.opentofu.org/hashicorp/aws')!)).toEqual({ 'registry.opentofu.org/hashicorp/aws': expect.objectContaining({ Pid: 42, Addr: { Network: 'unix', String: '/tmp/plugin1' } }) });
  expect(reattachConfig('no line here', 'x')).toBeUndefined();
});

test('started with -debug and the terraform environment, attached, stopped when the plan is done', async () => {
  // the SIGINT handler is in place before the reattach line is printed: the session may stop the provider as soon as
  // it has read that line
  const s = stack(`const fs=require('fs');process.on('SIGINT',()=>{fs.writeFileSync('stopped','');process.exit(0)});fs.writeFileSync('args.json',JSON.stringify({args:process.argv.slice(2),cfg:process.env.TF_CLI_CONFIG_FILE}));process.stdout.write(${JSON.stringify(LINE)});setInterval(()=>{},1000);`);
  const session = await startProvider(s, { TF_CLI_CONFIG_FILE: '/x/terraform.rc' });
  expect(session).toBeDefined();
  try {
    expect(JSON.parse(session!.env.TF_REATTACH_PROVIDERS)).toHaveProperty(['registry.opentofu.org/hashicorp/aws', 'Pid'], 42);
    expect(JSON.parse(fs.readFileSync(path.join(s, 'args.json'), 'utf8'))).toEqual({ args: ['-debug'], cfg: '/x/terraform.rc' });
  } finally {
    await session!.stop();
  }
  expect(fs.existsSync(path.join(s, 'stopped'))).toBe(true);
});

test('no session (the plan runs as usual) when the provider exits, is missing, or reattach is turned off', async () => {
  expect(await startProvider(stack('process.exit(1)'))).toBeUndefined();
  fs.rmSync(path.join(dir, '.terraform'), { recursive: true });
  expect(await startProvider(dir)).toBeUndefined();
  const s = stack(`process.stdout.write(${JSON.stringify(LINE)});setInterval(()=>{},1000);`);
  expect(await startProvider(s, { MWAA_GITOPS_PROVIDER_REATTACH: '0' })).toBeUndefined();
});

test('apply: terraform apply gets a fresh session of its own, stopped when the apply is done', async () => {
  const s = stack(`const fs=require('fs');process.on('SIGINT',()=>{fs.writeFileSync('stopped','');process.exit(0)});process.stdout.write(${JSON.stringify(LINE)});setInterval(()=>{},1000);`);
  const planFile = path.join(s, 'env.tfplan');
  fs.writeFileSync(planFile, 'saved plan');
  const applied: Array<Record<string, string> | undefined> = [];
  let stoppedDuringApply = true;
  const plan = { format_version: '1.2', resource_changes: [{ address: 'aws_mwaa_environment.environment', mode: 'managed', type: 'aws_mwaa_environment', name: 'environment', change: { actions: ['update'], before: { max_workers: 1 }, after: { max_workers: 2 } } }] };
  const runner = {
    childEnv: {},
    init: async () => ({ skipped: true }),
    showPlan: async () => plan,
    apply: async (_file: string, _also: unknown, env?: Record<string, string>) => {
      applied.push(env);
      stoppedDuringApply = fs.existsSync(path.join(s, 'stopped'));
    },
  };
  const ctx = { spec: { name: 'env', protection: { preventDestroy: false }, state: { backend: 'local' } }, dir: s, planFile, notify: () => undefined, runner } as unknown as EnvContext;
  const out = await applyEnv(ctx, { allowReplace: [] });
  expect(out.status).toBe('applied');
  expect(applied).toHaveLength(1);
  expect(JSON.parse(applied[0]?.TF_REATTACH_PROVIDERS ?? '{}')).toHaveProperty(['registry.opentofu.org/hashicorp/aws', 'Pid'], 42);
  expect(stoppedDuringApply).toBe(false);
  expect(fs.existsSync(path.join(s, 'stopped'))).toBe(true);
});

describe('the provider never outlives the process that started it', () => {
  const FROM_SOURCE = path.resolve(__dirname, '..', 'support', 'from-source.js');
  const SESSION_TS = path.resolve(__dirname, '..', '..', 'src', 'terraform', 'provider-session.ts');

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  async function until(pred: () => boolean, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  /**
   * A node process (the TypeScript sources) that starts a session on `stackDir`, says READY, and waits; with
   * `asTerminal`, in a process group of its own, like a command a terminal runs, and it survives SIGINT (as the CLI does
   * while terraform stops gracefully), stopping the session on STOP.
   */
  function holder(stackDir: string, asTerminal = false) {
    const { spawn } = require('child_process') as typeof import('child_process');
    const script = `
      require(${JSON.stringify(FROM_SOURCE)}).register();
      ${asTerminal ? "process.on('SIGINT', () => process.stdout.write('SIGINT\\n'));" : ''}
      require(${JSON.stringify(SESSION_TS)}).startProvider(${JSON.stringify(stackDir)}).then((s) => {
        process.stdout.write(s ? 'READY\\n' : 'NONE\\n');
        process.stdin.on('data', () => s && s.stop().then(() => process.stdout.write('STOPPED\\n')));
        setInterval(() => {}, 1000);
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: [asTerminal ? 'pipe' : 'ignore', 'pipe', 'inherit'], detached: asTerminal });
    let out = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    return { child, out: () => out };
  }

  test.each([
    ['stops on SIGINT', `process.on('SIGINT',()=>{fs.writeFileSync('stopped','');process.exit(0)});`, 'stopped'],
    ['ignores SIGINT', `process.on('SIGINT',()=>{fs.writeFileSync('interrupted','')});`, 'interrupted'],
  ])('the CLI SIGKILLed: a provider that %s is gone within seconds', async (_name, onInt, marker) => {
    const s = stack(`const fs=require('fs');${onInt}fs.writeFileSync('pid',String(process.pid));process.stdout.write(${JSON.stringify(LINE)});setInterval(()=>{},1000);`);
    const h = holder(s);
    try {
      expect(await until(() => /READY|NONE/.test(h.out()), 30000)).toBe(true);
      expect(h.out()).toBe('READY\n');
      const pid = Number(fs.readFileSync(path.join(s, 'pid'), 'utf8'));
      expect(alive(pid)).toBe(true);
      h.child.kill('SIGKILL');
      // interrupted at once; one that ignores the interrupt is killed 5 s later
      expect(await until(() => fs.existsSync(path.join(s, marker)), 5000)).toBe(true);
      expect(await until(() => !alive(pid), 10000)).toBe(true);
    } finally {
      h.child.kill('SIGKILL');
    }
  }, 60000);

  test('a Ctrl-C for the CLI\'s process group does not reach the provider: it serves Terraform\'s graceful stop, then stops with the session', async () => {
    const s = stack(`const fs=require('fs');process.on('SIGINT',()=>{fs.writeFileSync('interrupted','');process.exit(0)});fs.writeFileSync('pid',String(process.pid));process.stdout.write(${JSON.stringify(LINE)});setInterval(()=>{},1000);`);
    const h = holder(s, true);
    try {
      expect(await until(() => /READY|NONE/.test(h.out()), 30000)).toBe(true);
      expect(h.out()).toBe('READY\n');
      const pid = Number(fs.readFileSync(path.join(s, 'pid'), 'utf8'));
      process.kill(-h.child.pid!, 'SIGINT'); // what a terminal does on Ctrl-C: the foreground process group
      expect(await until(() => h.out().includes('SIGINT'), 5000)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(fs.existsSync(path.join(s, 'interrupted'))).toBe(false);
      expect(alive(pid)).toBe(true);
      h.child.stdin!.write('STOP\n'); // the session ends: now the watchdog interrupts it
      expect(await until(() => h.out().includes('STOPPED'), 10000)).toBe(true);
      expect(fs.existsSync(path.join(s, 'interrupted'))).toBe(true);
      expect(await until(() => !alive(pid), 5000)).toBe(true);
    } finally {
      h.child.kill('SIGKILL');
    }
  }, 60000);
});
