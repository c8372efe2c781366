/**
 * SARIF 2.1.0 (OASIS): one run, tool.driver.rules for every rule id reported, one result per
 * finding with a physical location relative to the repository root (%SRCROOT%).
 */
import type { Severity } from '../findings';
import { relPath, ruleMetaFor, type Formatter } from './findings-common';
import { maskCredentials } from './mask';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const TOOL_URI = 'https://github.com/mwaa-gitops/mwaa-gitops';
const MWAA_GUIDE = 'https://docs.aws.amazon.com/mwaa/latest/userguide/what-is-mwaa.html';

function level(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function helpUri(reference: string | undefined): string {
  if (reference && /^https?:\/\//.test(reference)) return reference;
  return reference && reference.startsWith('README') ? `${TOOL_URI}#readme` : MWAA_GUIDE;
}

function version(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      return String(require(rel).version ?? '0.0.0');
    } catch {
      // try the next location (source tree vs dist/)
    }
  }
  return '0.0.0';
}

export const formatSarif: Formatter = (report, opts) => {
  const ids = [...new Set(report.findings.map((f) => f.ruleId))].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => {
    const meta = ruleMetaFor(id);
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: meta.description },
      fullDescription: { text: `${meta.description} (${meta.reference})` },
      helpUri: helpUri(meta.reference),
      defaultConfiguration: { level: level(meta.severity) },
    };
  });
  const results = report.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: level(f.severity),
    message: { text: maskCredentials(f.fix ? `${f.message}. Fix: ${f.fix}` : f.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(relPath(opts.repoRoot, f.file)), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column },
        },
        ...(f.path ? { logicalLocations: [{ fullyQualifiedName: f.path, kind: 'member' }] } : {}),
      },
    ],
  }));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'mwaa-gitops', version: version(), informationUri: TOOL_URI, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${encodeURI(opts.repoRoot.replace(/\\/g, '/').replace(/\/?$/, '/'))}` } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
