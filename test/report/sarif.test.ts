/** SARIF levels follow the severities (code scanning shows errors, warnings and notes differently). */
import type { Finding } from '../../src/findings';
import { formatSarif } from '../../src/report/findings-sarif';

const finding = (ruleId: string, severity: Finding['severity']): Finding => ({ ruleId, severity, message: 'm', file: '/repo/environments/a.yaml', line: 1, column: 1, path: '' });

test('result level: error -> error, warning -> warning, info -> note; each rule default level from the rule severity', () => {
  const findings = [finding('MWAA-TAG-001', 'error'), finding('MWAA-KMS-002', 'warning'), finding('MWAA-CFG-003', 'info')];
  const log = JSON.parse(formatSarif({ environments: [], findings }, { repoRoot: '/repo', strict: false }));
  const run = log.runs[0];
  expect(run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`)).toEqual(['MWAA-TAG-001:error', 'MWAA-KMS-002:warning', 'MWAA-CFG-003:note']);
  expect(Object.fromEntries(run.tool.driver.rules.map((r: { id: string; defaultConfiguration: { level: string } }) => [r.id, r.defaultConfiguration.level]))).toEqual({
    'MWAA-TAG-001': 'error',
    'MWAA-KMS-002': 'warning',
    'MWAA-CFG-003': 'warning', // the rule is a warning; this finding of it is info
  });
});
