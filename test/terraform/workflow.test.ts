/** Pipeline helpers: bounded parallelism (--parallel), exit codes, option parsing. */
import { exitCodeOf, mapLimit, parseParallel, PlannedEnv } from '../../src/terraform/workflow';

test('mapLimit keeps order and never runs more than the limit at once', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([50, 10, 30, 20, 5], 2, async (ms) => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, ms));
    running -= 1;
    return ms * 2;
  });
  expect(out).toEqual([100, 20, 60, 40, 10]);
  expect(peak).toBe(2);
});

test("exit code, Terraform's convention: 1 when any environment failed, else 0 with or without changes; 2 for changes only when asked (--detailed-exitcode, drift)", () => {
  const p = (changes: boolean, error?: string) => ({ changes, model: { error } }) as unknown as PlannedEnv;
  expect(exitCodeOf([p(false), p(false)])).toBe(0);
  expect(exitCodeOf([p(false), p(true)])).toBe(0);
  expect(exitCodeOf([p(false), p(true)], true)).toBe(2);
  expect(exitCodeOf([p(false), p(false)], true)).toBe(0);
  expect(exitCodeOf([p(true), p(false, 'analytics-dev: terraform plan failed')])).toBe(1);
  expect(exitCodeOf([p(true), p(false, 'analytics-dev: terraform plan failed')], true)).toBe(1);
});

test('--parallel must be a positive integer', () => {
  expect(parseParallel('3')).toBe(3);
  expect(parseParallel(undefined)).toBe(1);
  expect(() => parseParallel('0')).toThrow('--parallel must be a positive integer, got 0');
  expect(() => parseParallel('two')).toThrow('--parallel must be a positive integer, got two');
});
