/**
 * CLI conventions, checked on the real program (in process) and on the CLI in a child process (from source, like bin/mwaa-gitops):
 * --version, one-line usage errors with the suggestion and the help to see, EPIPE ignored silently, repository
 * discovery from a subdirectory, and a wrong -C saying what is wrong.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../gitops/cli-run';
import { makeRepo, MINIMAL, REPO_ROOT } from '../spec/helpers';
import { CLI_FROM_SOURCE } from '../support/cli-bin';
import { findRepoRoot, MARKER_FILE, resolveRepoRoot } from '../../src/repo';

const BIN = CLI_FROM_SOURCE;
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const STACK = /\bat .+:\d+:\d+\)?$|node:internal|Error: write/m;

interface Child {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI (from source); `closeStdout` closes the reading end of its stdout at once (what `| head -0` does). */
function child(args: string[], opts: { cwd?: string; closeStdout?: boolean } = {}): Promise<Child> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    if (opts.closeStdout) p.stdout.destroy();
    else p.stdout.on('data', (d) => (stdout += String(d)));
    p.stderr.on('data', (d) => (stderr += String(d)));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function gitInit(dir: string): void {
  execFileSync('git', ['init', '-q', dir]);
}

function repoWith(files: Record<string, string> = {}): string {
  const root = makeRepo({ 'environments/minimal.yaml': MINIMAL, ...files });
  gitInit(root);
  return root;
}

describe('--version', () => {
  it('prints the package version, exit 0 (in process and as a child)', async () => {
    const r = await runCli(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect((await runCli(['-V'])).stdout).toBe(`${VERSION}\n`);
    const c = await child(['--version']);
    expect(c).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('usage errors: one line, the suggestion, where the help is', () => {
  const oneLine = (s: string) => s.split('\n').filter(Boolean);

  it('unknown option of a command', async () => {
    const r = await runCli(['-C', repoWith(), 'validate', '--frmat', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toEqual(["mwaa-gitops: unknown option '--frmat' (did you mean --format?); see 'mwaa-gitops validate --help'"]);
  });

  it('unknown command', async () => {
    const r = await runCli(['valdate']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual(["mwaa-gitops: unknown command 'valdate' (did you mean validate?); see 'mwaa-gitops --help'"]);
  });

  it('unknown global option, missing argument, bad choice', async () => {
    const g = await runCli(['--verison']);
    expect(oneLine(g.stderr)).toEqual(["mwaa-gitops: unknown option '--verison' (did you mean --version?); see 'mwaa-gitops --help'"]);
    const m = await runCli(['-C', repoWith(), 'show']);
    expect(m.code).toBe(1);
    expect(oneLine(m.stderr)).toEqual(["mwaa-gitops: missing required argument 'env'; see 'mwaa-gitops show --help'"]);
    const c = await runCli(['-C', repoWith(), 'validate', '--format', 'yml']);
    expect(c.code).toBe(1);
    expect(oneLine(c.stderr)).toHaveLength(1);
    expect(c.stderr).toMatch(/^mwaa-gitops: option '-f, --format <format>' argument 'yml' is invalid\. Allowed choices are text, json, sarif, github; see 'mwaa-gitops validate --help'\n$/);
  });

  it('as a child process: same single line, no help text, no stack trace', async () => {
    const c = await child(['validate', '--frmat', 'json']);
    expect(c.code).toBe(1);
    expect(c.stdout).toBe('');
    expect(c.stderr).toBe("mwaa-gitops: unknown option '--frmat' (did you mean --format?); see 'mwaa-gitops validate --help'\n");
  });
});

describe('EPIPE: a reader that goes away is not an error', () => {
  it('validate with a closed stdout exits with its own code and writes nothing to stderr', async () => {
    const repo = repoWith({ 'environments/other.yaml': MINIMAL.replace('minimal', 'other') });
    const ok = await child(['-C', repo, 'validate', '--format', 'json'], { closeStdout: true });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = repoWith({ 'environments/bad.yaml': MINIMAL.replace('minimal', 'bad').replace('PUBLIC_ONLY', 'PUBLIC') });
    const failing = await child(['-C', bad, 'validate'], { closeStdout: true });
    expect(failing.stderr).not.toMatch(STACK);
    expect(failing.stderr).toBe('');
    expect(failing.code).toBe(1);
  });

  it('validate | head -1 through a real shell pipeline (output larger than the pipe buffer)', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`environments/bad${i}.yaml`] = MINIMAL.replace('minimal', `bad${i}`).replace('PUBLIC_ONLY', 'PUBLIC');
    const repo = repoWith(files);
    const out = execFileSync('bash', ['-c', `"${process.execPath}" "${BIN}" -C "${repo}" validate --format json 2>err.txt | head -1; echo "exit=\${PIPESTATUS[0]}"; cat err.txt`], {
      cwd: repo,
      encoding: 'utf8',
    });
    const whole = spawnSync(process.execPath, [BIN, '-C', repo, 'validate', '--format', 'json'], { encoding: 'utf8' });
    expect(whole.stdout.length).toBeGreaterThan(64 * 1024); // more than a pipe holds (64 KiB on Linux): head leaves before the end
    const lines = out.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines[1]).toBe('exit=1'); // validate's own verdict (an invalid spec), not a crash
    expect(lines.slice(2).join('\n')).toBe('');
  });
});

describe('repository discovery', () => {
  it('finds the root from environments/ and deeper, by environments/ or by the marker file', () => {
    const root = repoWith({ 'environments/nested/readme.txt': 'x', 'dags/a/b.py': '' });
    expect(findRepoRoot(path.join(root, 'environments'))).toBe(root);
    expect(findRepoRoot(path.join(root, 'environments', 'nested'))).toBe(root);
    expect(findRepoRoot(path.join(root, 'dags', 'a'))).toBe(root);
    const marked = makeRepo({ [MARKER_FILE]: '# root\n', 'docs/x.md': '' });
    expect(findRepoRoot(path.join(marked, 'docs'))).toBe(marked);
  });

  it('never leaves a git repository for a parent directory', () => {
    const outer = repoWith();
    const inner = path.join(outer, 'vendor', 'other');
    fs.mkdirSync(inner, { recursive: true });
    gitInit(inner);
    expect(findRepoRoot(inner)).toBeUndefined();
    expect(findRepoRoot(path.join(outer, 'vendor'))).toBe(outer);
  });

  it('validate run from environments/ and from a subdirectory of it (child process, cwd set)', async () => {
    const root = repoWith({ 'environments/nested/.keep': '' });
    for (const cwd of [root, path.join(root, 'environments'), path.join(root, 'environments', 'nested')]) {
      const r = await child(['validate'], { cwd });
      expect({ cwd, ...r }).toEqual({ cwd, code: 0, stdout: '1 environment valid\n', stderr: '' });
    }
    const j = await child(['validate', '--format', 'json'], { cwd: path.join(root, 'environments') });
    expect(JSON.parse(j.stdout).findings).toEqual([]);
    const byC = await runCli(['-C', path.join(root, 'environments'), 'validate']);
    expect(byC).toEqual({ code: 0, stdout: '1 environment valid\n', stderr: '' });
  });

  it('a wrong -C says what is wrong, in one line', async () => {
    const missing = await runCli(['-C', '/no/such/dir', 'validate']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'mwaa-gitops: -C /no/such/dir: no such directory (/no/such/dir)\n' });
    const file = path.join(repoWith(), 'environments', 'minimal.yaml');
    const notDir = await runCli(['-C', file, 'plan']);
    expect(notDir.stderr).toBe(`mwaa-gitops: -C ${file}: not a directory (${file})\n`);
    const empty = makeRepo({ 'README.md': 'no environments here\n' });
    gitInit(empty);
    const none = await runCli(['-C', empty, 'validate']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `mwaa-gitops: -C ${empty}: no environments in ${empty} or any parent directory (looked for environments/ and .mwaa-gitops.yaml); ` +
        `pass the directory that holds environments/, or create one with \`mwaa-gitops init ${empty}\`\n`,
    );
    const noRepo = await child(['validate'], { cwd: empty });
    expect(noRepo.code).toBe(1);
    expect(noRepo.stderr).toMatch(new RegExp(`^mwaa-gitops: no mwaa-gitops repository in ${empty} or any parent directory \\(looked for environments/ and \\.mwaa-gitops\\.yaml\\); run it inside the repository, pass -C <dir>, or create one with \`mwaa-gitops init\`\\n$`));
  });

  it('every repository command gets the discovered root (git commands and terraform-driving ones alike)', async () => {
    const root = repoWith();
    const sub = path.join(root, 'environments');
    expect((await runCli(['-C', sub, 'show', 'minimal'])).code).toBe(0);
    expect((await runCli(['-C', sub, 'affected', '--all'])).stdout).toBe('minimal\n');
    expect((await runCli(['-C', sub, 'cost', 'minimal'])).code).toBe(0);
    const synth = await runCli(['-C', sub, 'synth', 'minimal']);
    expect(synth.code).toBe(0);
    expect(fs.existsSync(path.join(root, 'cdktf.out', 'stacks', 'minimal', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(sub, 'cdktf.out'))).toBe(false);
  });

  it('resolveRepoRoot: import-style commands fall back to the start directory; a missing -C is still an error', () => {
    const empty = makeRepo({ 'x.txt': '' });
    gitInit(empty);
    expect(resolveRepoRoot({ dir: empty, required: false })).toBe(empty);
    expect(resolveRepoRoot({ cwd: empty, required: false })).toBe(empty);
    expect(() => resolveRepoRoot({ dir: path.join(empty, 'nope'), required: false })).toThrow(/no such directory/);
  });
});
