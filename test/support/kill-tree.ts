/**
 * A machine going away, for the kill tests: SIGKILL (or `signal`) to a process's group and to every process below
 * it, each with its own process group too. The tool runs terraform and the provider in process groups of their own
 * (src/terraform/runner.ts, provider-session.ts), so the tool's group alone no longer holds them. The tree is read
 * from /proc before anything is killed (a killed parent's children are re-parented and could no longer be found).
 */
import * as fs from 'fs';
import { procStat } from '../../src/terraform/run-lock';

function parentsOf(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const ppid = Number(procStat(Number(d))?.[1]); // field 4; NaN when gone meanwhile
    if (Number.isNaN(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
  }
  return children;
}

/** A process's children, from each of its threads' `children` file (fast: no scan of every process). */
function childrenOf(pid: number): number[] | undefined {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      fs
        .readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8')
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return undefined; // gone, or a kernel without the children files
  }
}

/** Every process below `root`, root first. */
export function processTree(root: number): number[] {
  let scanned: Map<number, number[]> | undefined;
  const all: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.shift()!;
    all.push(p);
    todo.push(...(childrenOf(p) ?? (scanned ??= parentsOf()).get(p) ?? []));
  }
  return all;
}

/** Signals the tree, the deepest first (terraform before the tool), each process and the group it leads. */
export function killTree(root: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const p of processTree(root).reverse()) {
    for (const target of [-p, p]) {
      try {
        process.kill(target, signal); // -p: its process group, when it leads one
      } catch {
        // not a group leader, or gone
      }
    }
  }
}
