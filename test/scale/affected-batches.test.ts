/**
 * `affected --format matrix --max-jobs N` at scale: a generated repository of 300 environments (the benchmark's
 * generator, bench/lib.ts) with `environments/_defaults.yaml` changed. GitHub runs at most 256 jobs per matrix: every
 * environment must be planned, exactly once, in at most N (and 256) jobs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { envName, makeDefaultsChangedRepo } from '../../bench/lib';
import { batchEnvironments, GITHUB_MATRIX_LIMIT, type Batch } from '../../src/gitops/affected';
import { runCli } from '../gitops/cli-run';

jest.setTimeout(120000);

const N = 300;
const all = Array.from({ length: N }, (_, i) => envName(i));
const covered = (batches: Batch[]) => batches.flatMap((b) => b.envs.split(' '));

let parent: string;
let repo: string;
beforeAll(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-scale-'));
  repo = makeDefaultsChangedRepo(N, parent);
});
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

test.each([256, 40])('300 environments, _defaults.yaml changed, --max-jobs %i: all covered exactly once, within the limits', async (maxJobs) => {
  const r = await runCli(['-C', repo, 'affected', '--base', 'main', '--format', 'matrix', '--max-jobs', String(maxJobs)]);
  expect(r.code).toBe(0);
  const m = JSON.parse(r.stdout) as { include: Batch[] };
  expect(Object.keys(m)).toEqual(['include']); // other keys would become matrix dimensions
  expect(m.include.length).toBeLessThanOrEqual(maxJobs);
  expect(m.include.length).toBeLessThanOrEqual(GITHUB_MATRIX_LIMIT);
  expect(m.include.length).toBeGreaterThan(Math.min(maxJobs, N) / 2); // spread, not one big job
  const envs = covered(m.include);
  expect(envs).toHaveLength(N); // no environment twice
  expect([...envs].sort()).toEqual(all);
  expect(new Set(m.include.map((b) => b.batch)).size).toBe(m.include.length);
  for (const b of m.include) expect(b.batch).toMatch(/^batch-b\d+$/);
  for (const b of m.include) expect(b.envs).toMatch(/^[A-Za-z0-9_-]+( [A-Za-z0-9_-]+)*$/); // shell words
});

test('the default keeps GitHub\'s 256-job limit; over it is refused with the reason', async () => {
  const r = await runCli(['-C', repo, 'affected', '--base', 'main', '--format', 'matrix']);
  expect(JSON.parse(r.stdout).include.length).toBeLessThanOrEqual(256);
  const over = await runCli(['-C', repo, 'affected', '--base', 'main', '--format', 'matrix', '--max-jobs', '300']);
  expect(over.code).toBe(1);
  expect(over.stderr).toContain("--max-jobs 300 is over GitHub's limit of 256 jobs per matrix");
});

test('an environment stays in the same batch whatever else is affected (a per-batch concurrency group serializes its applies)', () => {
  const full = batchEnvironments(all, 40);
  const some = batchEnvironments(all.filter((_, i) => i % 7 === 0), 40);
  const batchOf = (bs: Batch[], env: string) => bs.find((b) => b.envs.split(' ').includes(env))?.batch;
  for (const b of some) for (const env of b.envs.split(' ')) expect(batchOf(full, env)).toBe(b.batch);
});

test('up to N environments: one job each, named after it; labels for people', () => {
  expect(batchEnvironments(['prod', 'dev'])).toEqual([
    { batch: 'dev', envs: 'dev', label: 'dev' },
    { batch: 'prod', envs: 'prod', label: 'prod' },
  ]);
  expect(batchEnvironments(['a', 'b', 'c', 'd'], 1)).toEqual([{ batch: 'batch-b0', envs: 'a b c d', label: 'a, b +2 more' }]);
  expect(() => batchEnvironments(['a'], 0)).toThrow(/whole number from 1 to 256/);
});
