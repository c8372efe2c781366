/**
 * The GitHub workflows call real mwaa-gitops subcommands with flags the real program accepts: every
 * `mwaa-gitops ...` invocation in a `run:` step is parsed by buildProgram() (commander itself checks unknown
 * options, choices, missing option values and mandatory options; the action is replaced by a no-op).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/index';
import { COMMENT_MARKER } from '../../src/gitops/pr-comment';

const dir = path.resolve(__dirname, '..', '..', '.github', 'workflows');
type Step = { name?: string; run?: string; uses?: string; with?: Record<string, unknown>; id?: string };
type Job = { steps: Step[]; strategy?: { matrix?: unknown }; concurrency?: { group: string; 'cancel-in-progress'?: boolean }; needs?: unknown; if?: string };
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job> };

function load(name: string): Workflow {
  return parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Workflow;
}

/** Shell words of a command line, with GitHub expressions and shell variables replaced by a literal. */
export function shellWords(line: string): string[] {
  const s = line.replace(/\$\{\{[^}]*\}\}/g, 'x').replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, 'x');
  const words: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
    }
  }
  if (has || cur) words.push(cur);
  return words;
}

/** Arguments after `mwaa-gitops` in each invocation of a script (stops at pipes, redirections, ;, &&, ||). */
export function invocations(script: string): string[][] {
  const out: string[][] = [];
  for (const line of script.replace(/\\\n/g, ' ').split('\n')) {
    const words = shellWords(line);
    for (let i = 0; i < words.length; i++) {
      if (!/(^|\/)mwaa-gitops$/.test(words[i])) continue;
      const args: string[] = [];
      for (let j = i + 1; j < words.length && !/^(\||\|\||&&|;|>|>>|2>|2>&1|<)$/.test(words[j]) && !/^[>|]/.test(words[j]); j++) args.push(words[j]);
      out.push(args);
    }
  }
  return out;
}

/** undefined when the real program accepts `args`; otherwise commander's error. */
function check(args: string[]): string | undefined {
  const program = buildProgram();
  let errors = '';
  const silence = (c: Command): void => {
    c.configureOutput({ writeOut: () => undefined, writeErr: (t) => void (errors += t) });
    c.exitOverride();
    c.commands.forEach(silence);
  };
  silence(program);
  const sub = program.commands.find((c) => c.name() === args[0]);
  if (!sub) return `unknown subcommand '${args[0]}' (known: ${program.commands.map((c) => c.name()).join(', ')})`;
  let called = false;
  sub.action(() => {
    called = true;
  });
  try {
    program.parse(['node', 'mwaa-gitops', ...args]);
  } catch (e) {
    return errors.trim() || (e as Error).message;
  }
  return called ? undefined : 'the subcommand action was not reached';
}

const FILES = ['plan.yml', 'apply.yml', 'drift.yml'];

describe('workflow invocations of mwaa-gitops', () => {
  const all: Array<{ file: string; job: string; step: string; args: string[] }> = [];
  for (const file of FILES) {
    const wf = load(file);
    for (const [job, j] of Object.entries(wf.jobs)) {
      for (const step of j.steps) {
        if (typeof step.run !== 'string') continue;
        for (const args of invocations(step.run)) all.push({ file, job, step: step.name ?? step.run.slice(0, 40), args });
      }
    }
  }

  it('finds the invocations (the checks below are not vacuous)', () => {
    const used = new Set(all.map((a) => `${a.file}:${a.args[0]}`));
    for (const u of ['plan.yml:validate', 'plan.yml:affected', 'plan.yml:plan', 'plan.yml:pr-comment', 'apply.yml:affected', 'apply.yml:apply', 'drift.yml:affected', 'drift.yml:drift']) {
      expect(used).toContain(u);
    }
  });

  it.each(all.map((a) => [`${a.file} ${a.job} / ${a.step}: mwaa-gitops ${a.args.join(' ')}`, a.args] as const))('%s', (_label, args) => {
    expect(check([...args])).toBeUndefined();
  });

  it('the checker rejects what commander rejects', () => {
    expect(check(['affected', '--format', 'yaml'])).toMatch(/Allowed choices are names, json, matrix, report/);
    expect(check(['affected', '--bogus'])).toMatch(/unknown option '--bogus'/);
    expect(check(['pr-comment'])).toMatch(/required option '--base <ref>' not specified/);
    expect(check(['nosuch'])).toMatch(/unknown subcommand/);
    expect(invocations('npx mwaa-gitops affected --base "origin/${{ github.base_ref }}" --format json | jq .\nnode bin/mwaa-gitops validate > x')).toEqual([
      ['affected', '--base', 'origin/x', '--format', 'json'],
      ['validate'],
    ]);
  });
});

describe('cancellation reaches the tool', () => {
  // GitHub sends a cancelled step's SIGINT (and 7.5 s later SIGTERM) to the step's shell alone, then kills the step:
  // a tool run as the shell's child never heard of it, and terraform died holding the S3 state lock (plans are
  // cancelled by every newer push: cancel-in-progress). exec'd, the tool is the step's process and stops terraform
  // gracefully (test/terraform/runner-signals.test.ts: SIGINT to the tool alone).
  it.each([
    ['plan.yml', 'plan'],
    ['apply.yml', 'apply'],
  ])('%s: the step that runs `mwaa-gitops %s` execs it, as its last command', (file, command) => {
    const runs = Object.values(load(file).jobs)
      .flatMap((j) => j.steps)
      .map((st) => st.run ?? '')
      .filter((r) => invocations(r).some((a) => a[0] === command));
    expect(runs).toHaveLength(1);
    const lines = runs[0].trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^exec mwaa-gitops ${command} `));
    expect(lines.slice(0, -1).join('\n')).not.toMatch(/mwaa-gitops/);
  });
});

describe('workflow structure', () => {
  it('no run: script inlines a ${{ }} expression: values reach the shell through env:, so a branch or environment name cannot inject shell code', () => {
    const inlined: string[] = [];
    for (const file of FILES) {
      for (const [job, j] of Object.entries(load(file).jobs)) {
        for (const step of j.steps) if (typeof step.run === 'string' && step.run.includes('${{')) inlined.push(`${file} ${job} / ${step.name ?? step.run.slice(0, 40)}`);
      }
    }
    expect(inlined).toEqual([]);
  });

  it('plan.yml: pull_request; validate -> affected matrix -> plan per env -> one comment found by its marker', () => {
    const wf = load('plan.yml');
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.jobs.plan.strategy?.matrix).toBe('${{ fromJSON(needs.validate.outputs.matrix) }}');
    expect(wf.jobs.plan.if).toBe("needs.validate.outputs.count != '0'");
    const script = String(wf.jobs.comment.steps.find((s) => s.uses?.startsWith('actions/github-script'))?.with?.script);
    expect(script).toContain(`const marker = '${COMMENT_MARKER}'`);
    expect(script).toContain('updateComment');
    expect(wf.jobs.validate.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))).toBe(true);
  });

  it('apply.yml: push to main; one apply at a time per job (environment or batch), queued not cancelled; only the reviewed plan', () => {
    const wf = load('apply.yml');
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
    expect(wf.jobs.apply.concurrency).toEqual({ group: 'apply-${{ matrix.batch }}', 'cancel-in-progress': false });
    expect(wf.jobs.apply.strategy?.matrix).toBe('${{ fromJSON(needs.affected.outputs.matrix) }}');
    const apply = wf.jobs.apply.steps.find((s) => typeof s.run === 'string' && s.run.includes('mwaa-gitops apply'));
    expect(apply?.run).toContain('--reviewed-plan reviewed');
    const download = wf.jobs.apply.steps.find((s) => s.uses?.startsWith('actions/download-artifact'));
    expect(download?.with).toMatchObject({ 'run-id': '${{ needs.affected.outputs.plan-run }}', pattern: 'plan-${{ needs.affected.outputs.head-sha }}-*' });
    // the artifact the plan workflow uploads is the one apply looks for
    const upload = load('plan.yml').jobs.plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.name).toBe('plan-${{ github.event.pull_request.head.sha }}-${{ matrix.batch }}');
  });

  it('drift.yml: scheduled; every environment; issues opened, updated and closed', () => {
    const wf = load('drift.yml');
    expect(Object.keys(wf.on)).toEqual(['schedule', 'workflow_dispatch']);
    const script = String(wf.jobs.drift.steps.find((s) => s.uses?.startsWith('actions/github-script'))?.with?.script);
    for (const call of ['issues.create', 'issues.update', "state: 'closed'"]) expect(script).toContain(call);
    expect(wf.jobs.drift.concurrency?.group).toBe('apply-${{ matrix.batch }}');
  });
});
