import { execFileSync } from 'child_process';
import { run as show } from '../../src/cli/show';
import { run as validate } from '../../src/cli/validate';
import { escapeData, escapeProperty } from '../../src/report/findings-github';
import { makeRepo, MINIMAL, REPO_ROOT } from './helpers';
import { CLI_FROM_SOURCE } from '../support/cli-bin';

const BAD = MINIMAL.replace('PUBLIC_ONLY', 'PUBLIC_ONY').replace('routing: public', 'routing: public\n  natGateway: single');

function repo() {
  return makeRepo({ 'environments/good.yaml': MINIMAL.replace('minimal', 'good'), 'environments/bad.yaml': BAD.replace('minimal', 'bad') });
}

describe('validate command', () => {
  it('text: location, source line with caret, fix, summary; exit 1', async () => {
    const root = repo();
    const { exitCode, stdout: output } = await validate({ targets: [], repo: root, format: 'text' });
    expect(exitCode).toBe(1);
    const lines = output.split('\n');
    const i = lines.findIndex((l) => l.startsWith('environments/bad.yaml:6:20  error  SCHEMA-enum'));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(lines[i + 1]).toBe('    6 |   webserverAccess: PUBLIC_ONY');
    expect(lines[i + 2]).toBe(`      | ${' '.repeat(19)}^`);
    expect(lines[i + 3]).toBe('  fix: did you mean `PUBLIC_ONLY`?');
    expect(output).toContain('environments/bad.yaml:10:3  error  SCHEMA-additionalProperties');
    expect(output.trimEnd().split('\n').pop()).toBe('2 errors, 0 warnings: 1 of 2 environments invalid');
    expect(output).not.toMatch(/\u001b\[/);
  });

  it('exit 0 for valid targets by name; --strict fails on warnings', async () => {
    const root = repo();
    expect(await validate({ targets: ['good'], repo: root })).toEqual({ exitCode: 0, stdout: '1 environment valid\n', stderr: '' });
    const warnRoot = makeRepo({ 'environments/w.yaml': MINIMAL.replace('"2.10.3"', '"2.7.2"') });
    const normal = await validate({ targets: [], repo: warnRoot, format: 'json' });
    const json = JSON.parse(normal.stdout);
    if (json.summary.warnings > 0) {
      expect(normal.exitCode).toBe(0);
      expect((await validate({ targets: [], repo: warnRoot, strict: true })).exitCode).toBe(1);
    } else {
      expect((await validate({ targets: [], repo: warnRoot, strict: true })).exitCode).toBe(0);
    }
  });

  it('json: machine-readable findings with relative paths', async () => {
    const { exitCode, stdout: output } = await validate({ targets: ['bad'], repo: repo(), format: 'json' });
    expect(exitCode).toBe(1);
    const j = JSON.parse(output);
    expect(j.valid).toBe(false);
    expect(j.summary).toEqual({ environments: 1, errors: 2, warnings: 0, infos: 0 });
    expect(j.findings[0]).toEqual({
      ruleId: 'SCHEMA-enum',
      severity: 'error',
      file: 'environments/bad.yaml',
      line: 6,
      column: 20,
      path: 'airflow.webserverAccess',
      message: expect.stringContaining('PUBLIC_ONY'),
      fix: 'did you mean `PUBLIC_ONLY`?',
      reference: 'schemas/environment.schema.json',
    });
  });

  it('sarif: the required SARIF 2.1.0 structure with rules and regions', async () => {
    const { exitCode, stdout: output } = await validate({ targets: ['bad'], repo: repo(), format: 'sarif' });
    expect(exitCode).toBe(1);
    const log = JSON.parse(output);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(Array.isArray(log.runs)).toBe(true);
    const run = log.runs[0];
    expect(typeof run.tool.driver.name).toBe('string');
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(['SCHEMA-additionalProperties', 'SCHEMA-enum']);
    for (const r of run.tool.driver.rules) {
      expect(typeof r.shortDescription.text).toBe('string');
      expect(r.helpUri).toMatch(/^https:\/\//);
    }
    expect(run.results).toHaveLength(2);
    for (const res of run.results) {
      expect(res.level).toBe('error'); // both findings are schema errors
      expect(typeof res.message.text).toBe('string');
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toBe('environments/bad.yaml');
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1).toBe(true);
      expect(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1).toBe(true);
    }
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/\/.*\/$/);
  });

  it('github: workflow commands with escaped properties and data', async () => {
    const { stdout: output } = await validate({ targets: ['bad'], repo: repo(), format: 'github' });
    const lines = output.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=environments\/bad\.yaml,line=6,col=20,title=SCHEMA-enum::.*PUBLIC_ONY.*%0Afix%3A|^::error file=environments\/bad\.yaml,line=6,col=20,title=SCHEMA-enum::.*PUBLIC_ONY.*%0Afix: /);
    expect(escapeProperty('a,b:c%\r\n')).toBe('a%2Cb%3Ac%25%0D%0A');
    expect(escapeData('50% done\nnext: x,y')).toBe('50%25 done%0Anext: x,y');
  });

  it('reports an unknown environment name as a missing file', async () => {
    const r = await validate({ targets: ['nope'], repo: repo() });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('SPEC-FILE-NOT-FOUND');
  });
});

describe('show command', () => {
  it('prints the resolved spec as YAML', () => {
    const r = show({ target: 'analytics-dev', repo: REPO_ROOT });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('name: analytics-dev');
    expect(r.stdout).toContain('source: airflow/plugins.zip');
    expect(r.stdout).not.toContain('resolvedPath');
  });

  it('exits 1 with findings for an invalid spec', () => {
    const r = show({ target: 'bad', repo: repo() });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('SCHEMA-enum');
  });
});

describe('the CLI as a process', () => {
  // the sources, as bin/mwaa-gitops runs dist/ (test/support/from-source.js): a stale build cannot pass
  const bin = CLI_FROM_SOURCE;
  it('exits 0 on the examples and 1 on broken YAML, without a stack trace', () => {
    expect(execFileSync('node', [bin, '-C', REPO_ROOT, 'validate'], { encoding: 'utf8' })).toContain('3 environments valid');
    const root = makeRepo({ 'environments/x.yaml': 'name: [\n' });
    let status = 0;
    let out = '';
    try {
      execFileSync('node', [bin, '-C', root, 'validate'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      out = String((e as { stdout: string }).stdout) + String((e as { stderr: string }).stderr);
    }
    expect(status).toBe(1);
    expect(out).toContain('YAML-SYNTAX');
    expect(out).not.toMatch(/\n\s+at /);
  });
});
