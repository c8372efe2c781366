/** The workflow harness's expression evaluator (test/gitops/gha/expressions.ts) against GitHub's documented rules. */
import { condition, evaluate, interpolate, resolve, type Scope } from './gha/expressions';

const scope = (status = { success: true, failure: false }): Scope => ({
  contexts: {
    github: { base_ref: 'main', event: { pull_request: { number: 7, head: { sha: 'abc123' } }, before: '' } },
    needs: { validate: { result: 'success', outputs: { count: '2', matrix: '{"include":[{"env":"dev"}]}' } } },
    matrix: { env: 'dev' },
    vars: {},
    steps: { drift: { outputs: { code: '2' } } },
  },
  status: { success: () => status.success, failure: () => status.failure, cancelled: () => false },
});

test('property access, literals, comparison (strings ignore case; mixed types compare as numbers)', () => {
  const s = scope();
  expect(evaluate("github.event.pull_request.head.sha", s).value).toBe('abc123');
  expect(evaluate("github['base_ref']", s).value).toBe('main');
  expect(evaluate("needs.validate.outputs.count != '0'", s).value).toBe(true);
  expect(evaluate("needs.validate.outputs.count == 2", s).value).toBe(true);
  expect(evaluate("'MAIN' == github.base_ref", s).value).toBe(true);
  expect(evaluate('github.event.nothing.deeper', s).value).toBeNull();
  expect(evaluate("'it''s'", s).value).toBe("it's");
});

test('|| and && return an operand; vars that are not set fall back', () => {
  const s = scope();
  expect(evaluate("vars.AWS_REGION || 'us-east-1'", s).value).toBe('us-east-1');
  expect(evaluate("github.base_ref && 'yes'", s).value).toBe('yes');
  expect(evaluate("!github.event.before", s).value).toBe(true);
});

test('functions: fromJSON keeps structure (matrix), contains/startsWith/format/join/toJSON', () => {
  const s = scope();
  expect(resolve('${{ fromJSON(needs.validate.outputs.matrix) }}', s)).toEqual({ include: [{ env: 'dev' }] });
  expect(evaluate("contains('Hello', 'ell')", s).value).toBe(true);
  expect(evaluate("startsWith(github.base_ref, 'ma')", s).value).toBe(true);
  expect(evaluate("format('{0}-{1}', 'a', matrix.env)", s).value).toBe('a-dev');
  expect(evaluate("join(fromJSON('[1,2]'), '+')", s).value).toBe('1+2');
  expect(() => evaluate('hashFiles("x")', s)).toThrow(/not supported|unexpected/);
  expect(() => evaluate('nosuchcontext.x', s)).toThrow(/unknown context/);
});

test('interpolation turns values into text the way GitHub does before the shell sees it', () => {
  expect(interpolate('plan "${{ matrix.env }}" --base origin/${{ github.base_ref }}', scope())).toBe('plan "dev" --base origin/main');
  expect(interpolate('x${{ github.event.before }}y', scope())).toBe('xy');
});

test('if: success() is implied unless a status function is used', () => {
  expect(condition(undefined, scope())).toBe(true);
  expect(condition(undefined, scope({ success: false, failure: true }))).toBe(false);
  expect(condition("needs.validate.outputs.count != '0'", scope({ success: false, failure: true }))).toBe(false);
  expect(condition("always() && needs.validate.result != 'cancelled'", scope({ success: false, failure: true }))).toBe(true);
  expect(condition('${{ failure() }}', scope({ success: false, failure: true }))).toBe(true);
  expect(condition("steps.drift.outputs.code == '2'", scope())).toBe(true);
});

test('workflow commands are read back as annotations (properties unescaped)', () => {
  const { parseAnnotations, parseKeyValueFile } = require('./gha/runner') as typeof import('./gha/runner');
  expect(parseAnnotations('x\n::error file=environments/a.yaml,line=7,col=3,title=MWAA-AF-006::min%0Afix%3A x\n::notice::hi')).toEqual([
    { level: 'error', title: 'MWAA-AF-006', file: 'environments/a.yaml', line: 7, col: 3, message: 'min\nfix: x' },
    { level: 'notice', title: undefined, file: undefined, line: undefined, col: undefined, message: 'hi' },
  ]);
  const fs = require('fs') as typeof import('fs');
  const f = require('path').join(require('os').tmpdir(), `gha-out-${process.pid}`);
  fs.writeFileSync(f, 'matrix={"include":[]}\ncount=0\nbody<<EOF\nline 1\nline 2\nEOF\n');
  expect(parseKeyValueFile(f)).toEqual({ matrix: '{"include":[]}', count: '0', body: 'line 1\nline 2' });
  fs.rmSync(f);
});
