/** The pure pieces under the artifact rules: pip's file format + PEP 508, wheel tags, pip's failure output, shell assignments. */
import { parsePipFailure, platformTags } from '../../src/artifacts/resolve';
import { parseRequirementsText } from '../../src/artifacts/requirements';
import { parseWheelName, wheelFits } from '../../src/artifacts/wheel';
import type { RequirementsFile } from '../../src/artifacts/model';
import { assignedVariables } from '../../src/rules/artifacts/StartupScriptNoReservedVariables';

describe('requirements.txt', () => {
  const text = [
    '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt"',
    '# comment',
    'apache-airflow-providers-snowflake[pandas]==5.8.0  # trailing comment',
    '-c/usr/local/airflow/dags/c.txt',
    '--find-links=/usr/local/airflow/plugins',
    'requests>=2,<3 \\',
    '  ; python_version >= "3.8"',
    'boto3==1.35.0 --hash=sha256:abc',
    'foo = = 1',
    'pkg @ https://example.com/pkg-1.0-py3-none-any.whl',
    '--bogus x',
  ].join('\n');
  const { lines } = parseRequirementsText(text);
  test('options, requirements with extras/markers/hashes, continuations, invalid lines, all with lines', () => {
    expect(lines.map((l) => [l.kind, l.line])).toEqual([
      ['option', 1], ['requirement', 3], ['option', 4], ['option', 5], ['requirement', 6], ['requirement', 8], ['invalid', 9], ['requirement', 10], ['invalid', 11],
    ]);
    expect(lines[0]).toMatchObject({ name: 'constraint', value: 'https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt', valueColumn: 14 });
    expect(lines[1]).toMatchObject({ name: 'apache-airflow-providers-snowflake', extras: ['pandas'], specifiers: [{ operator: '==', version: '5.8.0' }] });
    expect(lines[2]).toMatchObject({ name: 'constraint', value: '/usr/local/airflow/dags/c.txt', valueColumn: 3 });
    expect(lines[4]).toMatchObject({ name: 'requests', marker: 'python_version >= "3.8"', specifiers: [{ operator: '>=', version: '2' }, { operator: '<', version: '3' }] });
    expect(lines[5]).toMatchObject({ name: 'boto3', options: ['--hash=sha256:abc'] });
    expect(lines[7]).toMatchObject({ name: 'pkg', url: 'https://example.com/pkg-1.0-py3-none-any.whl' });
    expect((lines[6] as { error: string }).error).toMatch(/^PEP 508/);
  });
});

describe('wheels', () => {
  test('tags against Python and manylinux', () => {
    const w = (n: string) => parseWheelName(`wheels/${n}`)!;
    expect(wheelFits(w('numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'), '3.11', '2.26')).toEqual({ python: true, platform: true });
    expect(wheelFits(w('numpy-1.26.4-cp310-cp310-manylinux_2_17_x86_64.whl'), '3.11', '2.26').python).toBe(false);
    expect(wheelFits(w('cryptography-43.0.0-cp39-abi3-manylinux_2_28_x86_64.whl'), '3.11', '2.26')).toEqual({ python: true, platform: false });
    expect(wheelFits(w('cryptography-43.0.0-cp39-abi3-manylinux_2_28_x86_64.whl'), '3.11', '2.34').platform).toBe(true);
    expect(wheelFits(w('six-1.16.0-py2.py3-none-any.whl'), '3.12', '2.34')).toEqual({ python: true, platform: true });
    expect(wheelFits(w('x-1.0-cp311-cp311-musllinux_1_1_x86_64.whl'), '3.11', '2.34').platform).toBe(false);
    expect(parseWheelName('bad.whl')).toBeUndefined();
    expect(platformTags('2.26')[0]).toBe('manylinux_2_26_x86_64');
    expect(platformTags('2.26')).toContain('manylinux2014_x86_64');
  });
});

describe("pip's failure output", () => {
  const req = { file: '/r/requirements.txt', sha256: '', size: 0, ...parseRequirementsText('-c c.txt\n# x\nrequests==2.31.0\nbotocore==1.20.0\n') } as RequirementsFile;
  test('a pin that conflicts with a constraint, named', () => {
    const out = 'ERROR: Cannot install requests==2.31.0 because these package versions have conflicting dependencies.\n\nThe conflict is caused by:\n    The user requested requests==2.31.0\n    The user requested (constraint) requests==2.32.3\n\nTo fix this you could try to:\n';
    expect(parsePipFailure(out, req, '/tmp/w/requirements.txt')).toEqual([{ kind: 'conflict', line: 3, package: 'requests', message: 'requests==2.31.0 cannot be installed: requested requests==2.31.0; the constraint requests==2.32.3' }]);
  });
  test('a transitive conflict, referenced by line', () => {
    const out = 'ERROR: Cannot install -r /tmp/w/requirements.txt (line 4) because these package versions have conflicting dependencies.\n\nThe conflict is caused by:\n    botocore 1.20.0 depends on urllib3<1.27 and >=1.25.4\n    The user requested (constraint) urllib3==2.2.3\n\n';
    const [p] = parsePipFailure(out, req, '/tmp/w/requirements.txt');
    expect(p).toMatchObject({ kind: 'conflict', line: 4, package: 'botocore' });
    expect(p.message).toBe('botocore==1.20.0 cannot be installed: botocore 1.20.0 depends on urllib3<1.27 and >=1.25.4; the constraint urllib3==2.2.3');
  });
  test('no distribution', () => {
    const [p] = parsePipFailure('ERROR: Could not find a version that satisfies the requirement requests==2.31.0 (from versions: none)\nERROR: No matching distribution found for requests==2.31.0\n', req, '/tmp/w/requirements.txt');
    expect(p).toMatchObject({ kind: 'not-found', line: 3, package: 'requests' });
  });
});

test('startup script assignments', () => {
  expect(assignedVariables('export AIRFLOW_HOME=/x')).toEqual([{ name: 'AIRFLOW_HOME', column: 8 }]);
  expect(assignedVariables('A=1 B=2 cmd C=3').map((a) => a.name)).toEqual(['A', 'B']);
  expect(assignedVariables('if true; then AWS_REGION=eu-west-1 aws s3 ls; fi').map((a) => a.name)).toEqual(['AWS_REGION']);
  expect(assignedVariables('echo AIRFLOW_HOME=/x  # export X=1')).toEqual([]);
  expect(assignedVariables('unset PYTHONUNBUFFERED; declare -x AWS_DEFAULT_REGION=x').map((a) => a.name)).toEqual(['PYTHONUNBUFFERED', 'AWS_DEFAULT_REGION']);
});

test('credentials in an artifact line never reach a finding', () => {
  const { writeRepo, caseSpec } = require('../rules/artifact-cases') as typeof import('../rules/artifact-cases');
  const { validateText } = require('../../src/engine/validate') as typeof import('../../src/engine/validate');
  const { toYaml, TODAY } = require('../rules/fixture') as typeof import('../rules/fixture');
  const root = writeRepo({ 'airflow/requirements.txt': 'mypkg @ https://bot:S3CRET-TOKEN@pypi.example.com/mypkg-1.0-py3-none-any.whl\nbad = = 1 https://bot:S3CRET-TOKEN@x\n' });
  const s = caseSpec({ 'bucket.requirements': { source: 'airflow/requirements.txt', key: 'requirements.txt' }, 'network.routing': 'private', 'network.publicSubnets': [], 'airflow.webserverAccess': 'PRIVATE_ONLY' });
  const file = require('path').join(root, 'environments', 'x.yaml');
  const f = validateText(toYaml(s), { file, repoRoot: root, today: TODAY }).findings.filter((x) => x.ruleId.startsWith('MWAA-REQ'));
  expect(f.length).toBeGreaterThanOrEqual(2);
  for (const x of f) expect(`${x.message} ${x.fix}`).not.toContain('S3CRET-TOKEN');
});
