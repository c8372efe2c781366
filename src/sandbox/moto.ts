/**
 * moto's standalone server (pinned in src/sandbox/requirements-emulator.txt, installed into .venv by scripts/setup-emulator.sh)
 * on a free loopback port: one endpoint for EC2/VPC, S3, IAM, KMS, STS, CloudWatch Logs and CloudWatch.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { packageRoot } from '../paths';

/** How long start() waits for moto's first answer. */
const START_TIMEOUT_MS = 120000;

export interface MotoOptions {
  /** Directory holding .venv (default: the mwaa-gitops package root). */
  repoRoot?: string;
  /** moto_server binary (default `<repo>/.venv/bin/moto_server`, env MWAA_GITOPS_MOTO_SERVER). */
  binary?: string;
  port?: number;
  /** How long the server may take to answer after it is started (default 30 s). */
  startTimeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}


export class MotoServer {
  private child?: ChildProcess;
  private output = '';
  port = 0;

  constructor(private readonly options: MotoOptions = {}) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<string> {
    const repo = this.options.repoRoot ?? packageRoot();
    const binary = this.options.binary ?? process.env.MWAA_GITOPS_MOTO_SERVER ?? path.join(repo, '.venv', 'bin', 'moto_server');
    if (!fs.existsSync(binary)) {
      throw new Error(
        `moto server not found at ${binary}. Install it: bash scripts/setup-emulator.sh (moto, pinned in src/sandbox/requirements-emulator.txt)`,
      );
    }
    this.port = this.options.port ?? (await freePort());
    // Run moto's server module through the Python of the same venv, with the fixes in moto_server_patched.py.
    const python = path.join(path.dirname(binary), 'python');
    const launcher = path.join(packageRoot(), 'src', 'sandbox', 'moto_server_patched.py');
    const useLauncher = !this.options.binary && !process.env.MWAA_GITOPS_MOTO_SERVER && fs.existsSync(python) && fs.existsSync(launcher);
    const [cmd, args] = useLauncher
      ? [python, [launcher, '-H', '127.0.0.1', '-p', String(this.port)]]
      : [binary, ['-H', '127.0.0.1', '-p', String(this.port)]];
    this.child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'false' },
    });
    const keep = (b: Buffer) => {
      this.output = (this.output + b.toString()).slice(-4000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    // Generous: several e2e suites start their own moto at the same moment on 2 shared cores, and moto's first answer
    // (Python importing every service) then takes far longer than on an idle machine. A moto that dies fails at once.
    const startTimeoutMs = this.options.startTimeoutMs ?? START_TIMEOUT_MS;
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`moto server exited (${this.child.exitCode}): ${this.output}`);
      try {
        const r = await fetch(`${this.endpoint}/moto-api/`, { signal: AbortSignal.timeout(5000) });
        if (r.status < 500) return this.endpoint;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    await this.stop();
    throw new Error(`moto server did not answer on ${this.endpoint} within ${Math.round(startTimeoutMs / 1000)} s: ${this.output}`);
  }

  /** Clears every emulated resource (moto's reset API). */
  async reset(): Promise<void> {
    await fetch(`${this.endpoint}/moto-api/reset`, { method: 'POST' });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
      }, 5000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
