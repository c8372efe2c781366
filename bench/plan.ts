/**
 * Benchmark (not a test): the tool's `plan` wall time against bare `terraform plan` on the same synthesized stack,
 * side by side, against the emulators (moto + the MWAA fake) with the dev example applied first, so both refresh
 * the same ~40 resources.
 *
 *   npm run build && node dist/bench/plan.js [runs=5]
 *
 * tool:  node bin/mwaa-gitops plan analytics-dev --provider-args <t>   (validate + synth + init check + plan -out + show -json + summary)
 * bare:  terraform plan -input=false -out=<f>                    (in the synthesized stack directory, same CLI config)
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tfEnvFor } from './ratios';
import { main } from '../src/cli/index';
import { startEmulators } from '../src/sandbox/emulators';
import { copyReferenced } from '../src/sandbox/example-repo';

const DEV = 'analytics-dev';

const FALLBACK = `apiVersion: mwaa-gitops/v1\nname: ${DEV}\nregion: us-east-1\nairflow:\n  version: "2.10.3"\n  workers: { min: 1, max: 5 }\n  webserverAccess: PUBLIC_ONLY\nnetwork:\n  mode: create\n  routing: public\n`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Wall time of one child process. Asynchronous: the MWAA fake runs in this process and must keep answering. */
function time(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, ok: number[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-500)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!ok.includes(code ?? -1)) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`));
      else resolve(ms);
    });
  });
}

async function bench(): Promise<void> {
  const runs = Number(process.argv[2] ?? '5');
  const repo = path.resolve(__dirname, '..', '..');
  const em = await startEmulators({ repoRoot: repo, mwaa: { transitionDelayMs: 200 } });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-bench-plan-'));
  try {
    fs.mkdirSync(path.join(work, 'environments'));
    const example = path.join(repo, 'environments', `${DEV}.yaml`);
    fs.writeFileSync(path.join(work, 'environments', `${DEV}.yaml`), fs.existsSync(example) ? fs.readFileSync(example, 'utf8') : FALLBACK);
    copyReferenced(repo, work);
    const target = em.writeTarget(path.join(work, '.target.json'));
    process.stdout.write(`applying ${DEV} on the emulators first...\n`);
    const code = await main(['node', 'mwaa-gitops', '-C', work, 'apply', DEV, '--auto-approve', '--provider-args', target]);
    if (code !== 0) throw new Error(`apply exited ${code}`);
    const stack = path.join(work, 'cdktf.out', 'stacks', DEV);
    const tfEnv = tfEnvFor(work, {});
    const cli = path.join(repo, 'bin', 'mwaa-gitops');
    const tool: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate the order so neither side always runs on a warmer cache.
      const a = async () => tool.push(await time(process.execPath, [cli, '-C', work, 'plan', DEV, '--provider-args', target], work, process.env, [0, 2]));
      const b = async () => bare.push(await time('terraform', ['plan', '-input=false', '-lock=false', `-out=${path.join(work, 'bare.tfplan')}`], stack, tfEnv, [0, 2]));
      if (i % 2) {
        await a();
        await b();
      } else {
        await b();
        await a();
      }
    }
    const mt = median(tool);
    const mb = median(bare);
    const rows = [
      ['', 'median ms', 'runs (ms)'],
      ['mwaa-gitops plan', mt.toFixed(0), tool.map((x) => x.toFixed(0)).join(' ')],
      ['terraform plan', mb.toFixed(0), bare.map((x) => x.toFixed(0)).join(' ')],
    ];
    for (const r of rows) process.stdout.write(`${r[0].padEnd(18)} ${r[1].padStart(10)}   ${r[2]}\n`);
    process.stdout.write(`overhead: ${(((mt - mb) / mb) * 100).toFixed(1)}% (${(mt - mb).toFixed(0)} ms)\n`);
  } finally {
    await em.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

bench().catch((e: Error) => {
  process.stderr.write(`bench failed: ${e.message}\n`);
  process.exitCode = 1;
});
