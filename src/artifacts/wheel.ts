/**
 * Wheel filenames (PEP 427: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`, compressed tag sets
 * joined by `.`) and whether a wheel installs on MWAA's interpreter and platform. Pure.
 */
import type { WheelEntry } from './model';
import { normalizeName } from './requirements';

/** Parse a wheel's file name (the last path segment); undefined when it is not a valid wheel name. */
export function parseWheelName(archivePath: string): WheelEntry | undefined {
  const base = archivePath.split('/').pop() ?? archivePath;
  if (!/\.whl$/i.test(base)) return undefined;
  const parts = base.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const [name, version] = parts;
  const [py, abi, plat] = parts.slice(-3);
  if (!name || !version || !py || !abi || !plat) return undefined;
  return { path: archivePath, name: normalizeName(name), version, pythonTags: py.split('.'), abiTags: abi.split('.'), platformTags: plat.split('.') };
}

function pyMinor(python: string): number {
  return Number.parseInt(python.split('.')[1] ?? '0', 10);
}

/** Does one (python, abi) tag pair install on CPython `python` (e.g. "3.11")? */
function pythonAbiFits(py: string, abi: string, python: string): boolean {
  const minor = pyMinor(python);
  const cp = /^cp3(\d+)$/.exec(py);
  if (cp) {
    const m = Number(cp[1]);
    if (abi === 'abi3') return m <= minor;
    return m === minor && (abi === `cp3${minor}` || abi === 'none');
  }
  if (py === 'py3' || py === 'py2.py3') return abi === 'none';
  const generic = /^py3(\d+)$/.exec(py);
  if (generic) return abi === 'none' && Number(generic[1]) <= minor;
  return false;
}

/** Does a platform tag install on Linux x86_64 with the given glibc (e.g. "2.26")? */
export function platformFits(tag: string, glibc: string, arch = 'x86_64'): boolean {
  if (tag === 'any') return true;
  if (!tag.endsWith(`_${arch}`)) return false;
  if (tag === `linux_${arch}`) return true;
  const [gMaj, gMin] = glibc.split('.').map(Number);
  const legacy: Record<string, [number, number]> = { manylinux1: [2, 5], manylinux2010: [2, 12], manylinux2014: [2, 17] };
  const lg = /^(manylinux1|manylinux2010|manylinux2014)_/.exec(tag);
  let need: [number, number] | undefined = lg ? legacy[lg[1]] : undefined;
  const pep600 = /^manylinux_(\d+)_(\d+)_/.exec(tag);
  if (pep600) need = [Number(pep600[1]), Number(pep600[2])];
  if (!need) return false;
  return need[0] < gMaj || (need[0] === gMaj && need[1] <= gMin);
}

export interface WheelFit {
  python: boolean;
  platform: boolean;
}

/** Whether the wheel has a (python, abi) pair for `python` and a platform tag for MWAA's Linux. */
export function wheelFits(w: WheelEntry, python: string, glibc: string, arch = 'x86_64'): WheelFit {
  const pythonOk = w.pythonTags.some((py) => w.abiTags.some((abi) => pythonAbiFits(py, abi, python)));
  const platformOk = w.platformTags.some((p) => platformFits(p, glibc, arch));
  return { python: pythonOk, platform: platformOk };
}

/** The CPython versions a wheel is built for, from its tags (`cp310` -> 3.10), for messages. */
export function wheelPythons(w: WheelEntry): string[] {
  const out = new Set<string>();
  for (const t of w.pythonTags) {
    const m = /^(?:cp|py)3(\d+)$/.exec(t);
    if (m) out.add(`3.${m[1]}${w.abiTags.includes('abi3') ? '+' : ''}`);
    else if (t === 'py3') out.add('3 (any)');
  }
  return [...out];
}
