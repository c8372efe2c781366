/** Cross-file rules through validateFiles over a temporary repository, and the version lifecycle (injected today). */
import { byRule, lineOf, lint, lintFiles, spec, toYaml } from './fixture';

describe('MWAA-X-001 environment names unique per account+Region', () => {
  test('fails on the second file, at its name line', () => {
    const a = toYaml(spec({ 'bucket.name': 'bucket-a' }));
    const b = toYaml(spec({ 'bucket.name': 'bucket-b' }));
    const found = byRule(lintFiles({ 'a.yaml': a, 'b.yaml': b }), 'MWAA-X-001');
    expect(found.map((f) => ({ id: f.ruleId, line: f.line, file: f.file.split('/').pop() }))).toEqual([{ id: 'MWAA-X-001', line: lineOf(b, 'name: analytics-dev'), file: 'b.yaml' }]);
  });
  test('passes when Region or account differ', () => {
    const a = toYaml(spec({ 'bucket.name': 'bucket-a' }));
    const b = toYaml(spec({ 'bucket.name': 'bucket-b', region: 'eu-west-1' }));
    const c = toYaml(spec({ 'bucket.name': 'bucket-c', account: '444455556666' }));
    expect(byRule(lintFiles({ 'a.yaml': a, 'b.yaml': b, 'c.yaml': c }), 'MWAA-X-001')).toEqual([]);
  });
});

describe('MWAA-X-002 bucket names unique', () => {
  test('fails on the second file, at its bucket name line', () => {
    const a = toYaml(spec({ name: 'env-a' }));
    const b = toYaml(spec({ name: 'env-b' }));
    const found = byRule(lintFiles({ 'a.yaml': a, 'b.yaml': b }), 'MWAA-X-002');
    expect(found.map((f) => ({ id: f.ruleId, line: f.line, file: f.file.split('/').pop() }))).toEqual([{ id: 'MWAA-X-002', line: lineOf(b, 'name: acme-analytics-dev-airflow'), file: 'b.yaml' }]);
  });
  test('passes with distinct buckets', () => {
    const a = toYaml(spec({ name: 'env-a', 'bucket.name': 'bucket-a' }));
    const b = toYaml(spec({ name: 'env-b', 'bucket.name': 'bucket-b' }));
    expect(byRule(lintFiles({ 'a.yaml': a, 'b.yaml': b }), 'MWAA-X-002')).toEqual([]);
  });
});

describe('MWAA-AF-002 lifecycle uses the injected date', () => {
  const text = toYaml(spec({ 'airflow.version': '2.6.3' }));
  const line = lineOf(text, 'version: 2.6.3');
  test('warning within 90 days of end of support', () => {
    const f = byRule(lint(text, 'environments/x.yaml', new Date('2025-11-01T00:00:00Z')), 'MWAA-AF-002');
    expect(f.map((x) => [x.severity, x.line])).toEqual([['warning', line]]);
  });
  test('nothing long before end of support', () => {
    expect(byRule(lint(text, 'environments/x.yaml', new Date('2025-01-01T00:00:00Z')), 'MWAA-AF-002')).toEqual([]);
  });
  test('error on and after the end-of-support date', () => {
    const f = byRule(lint(text, 'environments/x.yaml', new Date('2025-12-30T00:00:00Z')), 'MWAA-AF-002');
    expect(f.map((x) => [x.severity, x.line])).toEqual([['error', line]]);
  });
});
