import { classifyConstraint } from '../../artifacts/constraints';
import { optionsNamed, requirementsOf } from '../../artifacts/requirements';
import { artifactFacts, hasFeature } from '../data';
import type { Severity } from '../../findings';
import type { SpecRule, Violation } from '../types';
import { atFile, REQ_PATH } from './at';

const WAYS_OUT =
  'Either package the wheels into plugins.zip and install them with "--no-index" and "--find-links /usr/local/airflow/plugins", ' +
  'or keep the constraints file in the DAGs folder and reference it as "--constraint /usr/local/airflow/dags/<file>" (both live in the bucket, which the environment reaches through its S3 endpoint).';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-REQ-005',
    severity: 'error',
    description: 'Without internet access (private routing: no NAT), requirements install from the bucket: wheels in plugins.zip with --no-index --find-links /usr/local/airflow/plugins, constraints under /usr/local/airflow/dags/. A private web server (v2.2.2+) has the same limit (warning).',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/best-practices-dependencies.html',
  },
  check({ spec, doc }) {
    const req = doc.artifacts?.requirements;
    if (!req || req.unreadable) return [];
    const noInternet = spec.network.mode === 'create' && spec.network.routing === 'private';
    const privateWeb = spec.airflow.webserverAccess === 'PRIVATE_ONLY' && hasFeature(spec.airflow.version, 'webserverInstallsRequirements');
    if (!noInternet && !privateWeb) return [];
    const severity: Severity = noInternet ? 'error' : 'warning';
    const who = noInternet ? 'This environment has private routing and no NAT gateway: it cannot reach PyPI or GitHub' : 'The private web server (PRIVATE_ONLY) installs requirements too and has no internet access';
    const facts = artifactFacts().requirements;
    const out: Violation[] = [];
    const reqs = requirementsOf(req.lines);
    const constraints = optionsNamed(req.lines, 'constraint');
    if (reqs.length === 0 && constraints.length === 0) return [];
    for (const c of constraints) {
      const ref = classifyConstraint(c.value ?? '');
      if (ref.kind === 'official' || ref.kind === 'url') {
        out.push(atFile(REQ_PATH, req.file, c.line, c.valueColumn ?? c.column, `${who}, so this constraints URL cannot be downloaded.`, `Copy the constraints file into the DAGs folder and use --constraint "${facts.dagsDir}constraints.txt". ${WAYS_OUT}`, { severity }));
      }
    }
    for (const o of [...optionsNamed(req.lines, 'index-url'), ...optionsNamed(req.lines, 'extra-index-url')]) {
      if (/^https?:\/\//i.test(o.value ?? '')) out.push(atFile(REQ_PATH, req.file, o.line, o.valueColumn ?? o.column, `${who}; this package index is reachable only through a VPC endpoint or proxy you provide.`, WAYS_OUT, { severity: 'warning' }));
    }
    const noIndex = optionsNamed(req.lines, 'no-index').length > 0;
    const findLinks = optionsNamed(req.lines, 'find-links');
    const fromPlugins = findLinks.some((f) => (f.value ?? '').replace(/\/+$/, '') === facts.pluginsDir);
    if (!(noIndex && fromPlugins)) {
      const first = reqs[0];
      if (first) out.push(atFile(REQ_PATH, req.file, first.line, first.column, `${who}, but pip would download ${reqs.length === 1 ? first.name : `${first.name} and ${reqs.length - 1} more`} from a package index (no "--no-index" with "--find-links ${facts.pluginsDir}").`, WAYS_OUT, { severity }));
      return out;
    }
    for (const r of reqs) {
      if (r.url) {
        out.push(atFile(REQ_PATH, req.file, r.line, r.column, `${who}; "${r.name} @ ${r.url}" downloads from a URL.`, WAYS_OUT, { severity }));
        continue;
      }
      const plugins = doc.artifacts?.plugins;
      if (!plugins || plugins.unreadable) {
        out.push(atFile(REQ_PATH, req.file, r.line, r.column, `${r.name} must come from a wheel in plugins.zip (--no-index), but ${plugins ? 'plugins.zip cannot be read' : 'the environment has no plugins.zip'}.`, 'Add bucket.plugins with the wheels (pip download -r requirements.txt -d wheels; zip them into plugins.zip).', { severity }));
        continue;
      }
      if (!plugins.wheels.some((w) => w.name === r.normalized)) {
        out.push(atFile(REQ_PATH, req.file, r.line, r.column, `plugins.zip has no wheel for ${r.name}; with --no-index pip finds nothing to install.`, `Add the ${r.name} wheel (and its dependencies' wheels) to plugins.zip.`, { severity }));
      }
    }
    return out;
  },
};
