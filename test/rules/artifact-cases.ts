/**
 * Artifact rule cases: each rule gets a failing fixture (real files written into a temporary repository:
 * requirements files, zip archives built here with fflate, shell scripts) and a passing one. The expected
 * finding names the artifact file and the line inside it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Resolution } from '../../src/artifacts/model';
import { baseSpec, set, type Spec } from './fixture';

export type Files = Record<string, string | Buffer | Uint8Array | { sparse: number }>;

export interface ArtifactCase {
  id: string;
  name: string;
  /** Spec overrides (dotted path -> value) applied to the base spec. */
  spec?: Record<string, unknown>;
  bad: Files;
  /** Expected location of one finding: artifact file (relative) and 1-based line. */
  at: { file: string; line: number; column?: number };
  severity?: 'error' | 'warning' | 'info';
  good: Files;
  /** Spec overrides for the passing case (default: same as `spec`). */
  goodSpec?: Record<string, unknown>;
  /** `--resolve` results to attach (REQ-006): requirements file (relative) -> resolution. */
  resolution?: (reqFile: string) => Resolution;
}

const OFFICIAL = (af: string, py: string) => `https://raw.githubusercontent.com/apache/airflow/constraints-${af}/constraints-${py}.txt`;
export const GOOD_CONSTRAINT = `--constraint "${OFFICIAL('2.10.3', '3.11')}"`;

/** A zip built in memory; a value [content, mode] records Unix permissions (mode incl. file type bits). */
export function zip(entries: Record<string, string | [string, number]>): Buffer {
  const z: Zippable = {};
  for (const [name, v] of Object.entries(entries)) {
    if (Array.isArray(v)) z[name] = [strToU8(v[0]), { os: 3, attrs: (v[1] << 16) >>> 0 }];
    else z[name] = strToU8(v);
  }
  return Buffer.from(zipSync(z, { level: 6 }));
}

const PLUGIN = 'from airflow.plugins_manager import AirflowPlugin\n\nclass HelloPlugin(AirflowPlugin):\n    name = "hello"\n';
export const GOOD_ZIP = () => zip({ 'hello_plugin.py': PLUGIN, 'operators/__init__.py': '', 'operators/hello.py': 'X = 1\n' });

/** A zip whose one entry claims `size` uncompressed bytes (central and local headers patched): an archive bomb's shape. */
export function zipClaiming(size: number): Buffer {
  const buf = Buffer.from(zipSync({ 'data.bin': new Uint8Array(16) }, { level: 0 }));
  const local = buf.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const central = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  buf.writeUInt32LE(size, local + 22);
  buf.writeUInt32LE(size, central + 24);
  return buf;
}

const REQ = { 'bucket.requirements': { source: 'airflow/requirements.txt', key: 'requirements.txt' } };
const PLUG = { 'bucket.plugins': { source: 'airflow/plugins.zip', key: 'plugins.zip' }, 'airflow.configuration': { 'core.lazy_load_plugins': 'False' } };
const STARTUP = { 'bucket.startupScript': { source: 'airflow/startup.sh', key: 'startup.sh' } };
const PRIVATE = {
  'network.routing': 'private',
  'network.publicSubnets': [],
  'network.natGateways': undefined,
  'airflow.webserverAccess': 'PRIVATE_ONLY',
};
const R = 'airflow/requirements.txt';
const P = 'airflow/plugins.zip';
const S = 'airflow/startup.sh';

export const ARTIFACT_CASES: ArtifactCase[] = [
  { id: 'MWAA-ART-002', name: 'requirements with NUL bytes', spec: REQ, bad: { [R]: Buffer.from(`${GOOD_CONSTRAINT}\nboto3==1.35.0\u0000\n`) }, at: { file: R, line: 1 }, good: { [R]: `${GOOD_CONSTRAINT}\nboto3==1.35.0\n` } },
  { id: 'MWAA-ART-002', name: 'startup script over 1 MB', spec: STARTUP, bad: { [S]: `#!/bin/bash\n${'# padding\n'.repeat(110_000)}` }, at: { file: S, line: 1 }, good: { [S]: '#!/bin/bash\necho hi\n' } },
  { id: 'MWAA-REQ-001', name: 'constraint of another Airflow version', spec: REQ, bad: { [R]: `# pinned by the platform team\n--constraint "${OFFICIAL('2.9.2', '3.11')}"\nboto3==1.35.0\n` }, at: { file: R, line: 2, column: 14 }, good: { [R]: `# pinned by the platform team\n${GOOD_CONSTRAINT}\nboto3==1.35.0\n` } },
  { id: 'MWAA-REQ-001', name: 'constraint of another Python version', spec: REQ, bad: { [R]: `--constraint "${OFFICIAL('2.10.3', '3.12')}"\n` }, at: { file: R, line: 1, column: 14 }, good: { [R]: `${GOOD_CONSTRAINT}\n` } },
  { id: 'MWAA-REQ-001', name: 'no constraint line from 2.7.2 (MWAA adds its default: warning)', spec: REQ, bad: { [R]: 'boto3==1.35.0\n' }, at: { file: R, line: 1 }, severity: 'warning', good: { [R]: `-c ${OFFICIAL('2.10.3', '3.11')}\nboto3==1.35.0\n` } },
  { id: 'MWAA-REQ-001', name: '--constraint= is not seen by MWAA', spec: REQ, bad: { [R]: `--constraint=${OFFICIAL('2.10.3', '3.11')}\n` }, at: { file: R, line: 1 }, severity: 'warning', good: { [R]: `--constraint ${OFFICIAL('2.10.3', '3.11')}\n` } },
  { id: 'MWAA-REQ-002', name: 'apache-airflow pinned', spec: REQ, bad: { [R]: `${GOOD_CONSTRAINT}\nboto3==1.35.0\napache-airflow[celery]==2.10.3\n` }, at: { file: R, line: 3 }, good: { [R]: `${GOOD_CONSTRAINT}\nboto3==1.35.0\napache-airflow-providers-http==4.13.3\n` } },
  { id: 'MWAA-REQ-003', name: 'not PEP 508', spec: REQ, bad: { [R]: `${GOOD_CONSTRAINT}\nsnowflake = = 1.0\n` }, at: { file: R, line: 2, column: 11 }, good: { [R]: `${GOOD_CONSTRAINT}\nsnowflake-connector-python==3.12.3\n` } },
  { id: 'MWAA-REQ-003', name: 'not a PEP 440 version', spec: REQ, bad: { [R]: `${GOOD_CONSTRAINT}\nboto3==latest\n` }, at: { file: R, line: 2, column: 6 }, good: { [R]: `${GOOD_CONSTRAINT}\nboto3==1.35.0 ; python_version >= "3.8"\n` } },
  { id: 'MWAA-REQ-003', name: 'unknown pip option', spec: REQ, bad: { [R]: `${GOOD_CONSTRAINT}\n--upgrade-strategy eager\n` }, at: { file: R, line: 2 }, good: { [R]: `${GOOD_CONSTRAINT}\n--prefer-binary\n` } },
  { id: 'MWAA-REQ-004', name: 'unpinned requirement', spec: REQ, bad: { [R]: `${GOOD_CONSTRAINT}\nboto3==1.35.0\nrequests>=2.31\n` }, at: { file: R, line: 3 }, severity: 'warning', good: { [R]: `${GOOD_CONSTRAINT}\nboto3==1.35.0\nrequests>=2.31,<3\n` } },
  {
    id: 'MWAA-REQ-005',
    name: 'private routing downloading from GitHub and PyPI',
    spec: { ...REQ, ...PRIVATE },
    bad: { [R]: `${GOOD_CONSTRAINT}\nrequests==2.32.3\n` },
    at: { file: R, line: 2 },
    good: {
      [R]: '--constraint "/usr/local/airflow/dags/constraints-3.11.txt"\n--no-index\n--find-links /usr/local/airflow/plugins\nrequests==2.32.3\n',
      [P]: zip({ 'requests-2.32.3-py3-none-any.whl': 'wheel' }),
    },
    goodSpec: { ...REQ, ...PRIVATE, 'bucket.plugins': { source: P, key: 'plugins.zip' } },
  },
  {
    id: 'MWAA-REQ-005',
    name: 'no wheel for a package installed with --no-index',
    spec: { ...REQ, ...PRIVATE, 'bucket.plugins': { source: P, key: 'plugins.zip' } },
    bad: { [R]: '--constraint "/usr/local/airflow/dags/constraints-3.11.txt"\n--no-index\n--find-links /usr/local/airflow/plugins\nrequests==2.32.3\nboto3==1.35.0\n', [P]: zip({ 'requests-2.32.3-py3-none-any.whl': 'wheel' }) },
    at: { file: R, line: 5 },
    good: { [R]: '--constraint "/usr/local/airflow/dags/constraints-3.11.txt"\n--no-index\n--find-links /usr/local/airflow/plugins\nrequests==2.32.3\nboto3==1.35.0\n', [P]: zip({ 'requests-2.32.3-py3-none-any.whl': 'w', 'boto3-1.35.0-py3-none-any.whl': 'w' }) },
  },
  {
    id: 'MWAA-REQ-005',
    name: 'private web server with public routing (warning)',
    spec: { ...REQ, 'airflow.webserverAccess': 'PRIVATE_ONLY' },
    bad: { [R]: `${GOOD_CONSTRAINT}\nrequests==2.32.3\n` },
    at: { file: R, line: 1, column: 14 },
    severity: 'warning',
    good: { [R]: `${GOOD_CONSTRAINT}\nrequests==2.32.3\n` },
    goodSpec: { ...REQ, 'airflow.webserverAccess': 'PUBLIC_ONLY' },
  },
  {
    id: 'MWAA-REQ-006',
    name: '--resolve conflict reported at its line',
    spec: REQ,
    bad: { [R]: `${GOOD_CONSTRAINT}\nboto3==1.35.0\nrequests==2.31.0\n` },
    at: { file: R, line: 3 },
    good: { [R]: `${GOOD_CONSTRAINT}\nboto3==1.35.0\nrequests==2.32.3\n` },
    resolution: () => ({
      status: 'failed',
      key: 'k',
      cached: false,
      python: '3.11',
      airflowVersion: '2.10.3',
      constraints: [OFFICIAL('2.10.3', '3.11')],
      problems: [{ kind: 'conflict', line: 3, package: 'requests', message: 'requests==2.31.0 conflicts with the constraint requests==2.32.3' }],
    }),
  },
  { id: 'MWAA-PLG-001', name: 'not a zip', spec: PLUG, bad: { [P]: 'PK\u0003\u0004 this is not a zip' }, at: { file: P, line: 1 }, good: { [P]: GOOD_ZIP() } },
  { id: 'MWAA-PLG-002', name: 'files inside a top-level folder', spec: PLUG, bad: { [P]: zip({ 'plugins/hello_plugin.py': PLUGIN, 'plugins/operators/hello.py': 'X = 1\n' }) }, at: { file: P, line: 1 }, good: { [P]: zip({ 'hello_plugin.py': PLUGIN, 'operators/hello.py': 'X = 1\n' }) } },
  { id: 'MWAA-PLG-003', name: 'path climbing out', spec: PLUG, bad: { [P]: zip({ 'hello_plugin.py': PLUGIN, '../../etc/cron.d/x': '* * * * * root id\n' }) }, at: { file: P, line: 1 }, good: { [P]: GOOD_ZIP() } },
  { id: 'MWAA-PLG-003', name: 'absolute path', spec: PLUG, bad: { [P]: zip({ 'hello_plugin.py': PLUGIN, '/usr/local/airflow/x.py': 'X = 1\n' }) }, at: { file: P, line: 1 }, good: { [P]: GOOD_ZIP() } },
  { id: 'MWAA-PLG-003', name: 'symbolic link', spec: PLUG, bad: { [P]: zip({ 'hello_plugin.py': PLUGIN, link: ['/etc/passwd', 0o120777] }) }, at: { file: P, line: 1 }, good: { [P]: zip({ 'hello_plugin.py': [PLUGIN, 0o100755] }) } },
  { id: 'MWAA-PLG-004', name: 'extracts to more than 1 GB', spec: PLUG, bad: { [P]: zipClaiming(1_200_000_000) }, at: { file: P, line: 1 }, good: { [P]: zipClaiming(1_000_000) } },
  { id: 'MWAA-PLG-004', name: 'archive over 1 GB (sparse file)', spec: PLUG, bad: { [P]: { sparse: 1_100_000_000 } }, at: { file: P, line: 1 }, good: { [P]: GOOD_ZIP() } },
  { id: 'MWAA-PLG-005', name: 'wheel for Python 3.10', spec: PLUG, bad: { [P]: zip({ 'numpy-1.26.4-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl': 'w' }) }, at: { file: P, line: 1 }, good: { [P]: zip({ 'numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl': 'w', 'requests-2.32.3-py3-none-any.whl': 'w' }) } },
  { id: 'MWAA-PLG-005', name: 'wheel for macOS', spec: PLUG, bad: { [P]: zip({ 'numpy-1.26.4-cp311-cp311-macosx_11_0_arm64.whl': 'w' }) }, at: { file: P, line: 1 }, good: { [P]: zip({ 'pydantic_core-2.23.4-cp311-cp311-manylinux_2_17_x86_64.whl': 'w' }) } },
  { id: 'MWAA-PLG-006', name: 'entry not readable by others', spec: PLUG, bad: { [P]: zip({ 'hello_plugin.py': [PLUGIN, 0o100600] }) }, at: { file: P, line: 1 }, severity: 'warning', good: { [P]: zip({ 'hello_plugin.py': [PLUGIN, 0o100644] }) } },
  {
    id: 'MWAA-CFG-010',
    name: 'archive with an AirflowPlugin and lazy loading on',
    spec: { 'bucket.plugins': { source: P, key: 'plugins.zip' } },
    bad: { [P]: GOOD_ZIP() },
    at: { file: 'environments/x.yaml', line: -1 },
    severity: 'warning',
    good: { [P]: zip({ 'requests-2.32.3-py3-none-any.whl': 'w', 'helpers/util.py': 'X = 1\n' }) },
  },
  { id: 'MWAA-STS-001', name: 'CRLF line endings', spec: STARTUP, bad: { [S]: '#!/bin/bash\nset -e\r\necho hi\r\n' }, at: { file: S, line: 2 }, good: { [S]: '#!/bin/bash\nset -e\necho hi\n' } },
  { id: 'MWAA-STS-002', name: 'syntax error (if without fi)', spec: STARTUP, bad: { [S]: '#!/bin/bash\nif [ "$MWAA_AIRFLOW_COMPONENT" = worker ]; then\n  echo worker\n' }, at: { file: S, line: 4 }, good: { [S]: '#!/bin/bash\nif [ "$MWAA_AIRFLOW_COMPONENT" = worker ]; then\n  echo worker\nfi\n' } },
  { id: 'MWAA-STS-002', name: 'python shebang', spec: STARTUP, bad: { [S]: '#!/usr/bin/env python3\nprint("hi")\n' }, at: { file: S, line: 1 }, good: { [S]: 'echo "no shebang, valid sh"\n' } },
  { id: 'MWAA-STS-003', name: 'export of AIRFLOW_HOME', spec: STARTUP, bad: { [S]: '#!/bin/bash\nexport PYTHONPATH="/usr/local/airflow/dags/lib:$PYTHONPATH"\nexport AIRFLOW_HOME=/tmp/airflow\n' }, at: { file: S, line: 3, column: 8 }, good: { [S]: '#!/bin/bash\nexport PYTHONPATH="/usr/local/airflow/dags/lib:$PYTHONPATH"\nexport ENVIRONMENT_STAGE=dev\n' } },
  { id: 'MWAA-STS-003', name: 'AWS_REGION set before a command', spec: STARTUP, bad: { [S]: '#!/bin/bash\nif true; then AWS_REGION=eu-west-1 aws s3 ls; fi\n' }, at: { file: S, line: 2, column: 15 }, good: { [S]: '#!/bin/bash\nif true; then aws s3 ls --region eu-west-1; fi\n' } },
];

/** Write `files` into a fresh temporary repository (with environments/), return its root. */
export function writeRepo(files: Files): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-art-'));
  fs.mkdirSync(path.join(root, 'environments'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof content === 'object' && content !== null && 'sparse' in content && !(content instanceof Uint8Array)) {
      const fd = fs.openSync(p, 'w');
      fs.ftruncateSync(fd, content.sparse);
      fs.closeSync(fd);
    } else fs.writeFileSync(p, content as string | Uint8Array);
  }
  return root;
}

export function caseSpec(overrides: Record<string, unknown> = {}): Spec {
  const s = baseSpec();
  for (const [k, v] of Object.entries(overrides)) set(s, k, v);
  return s;
}
