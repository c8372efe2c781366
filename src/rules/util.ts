/** Small pure helpers shared by rule modules. */
import type { Violation } from './types';
import { editDistance } from '../edit-distance';

export function v(path: string, message: string, fix: string, extra: Partial<Violation> = {}): Violation {
  return { path, message, fix, ...extra };
}

/** Path of a configuration option value: `airflow.configuration.<section.option>`. */
export function configPath(key: string): string {
  return `airflow.configuration.${key}`;
}

/** Closest candidate by edit distance (for "did you mean"), or undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[], maxDistance = 3): string | undefined {
  let best: string | undefined;
  let bestD = maxDistance + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

export function isTruthyFalse(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'false';
}
