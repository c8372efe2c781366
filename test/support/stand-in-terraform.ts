/**
 * A stand-in for the terraform binary, for tests of how the tool signals terraform: it writes its pid to `started`,
 * appends each SIGINT and SIGTERM it receives to `interrupts` (one line each), and with `stopsOnInterrupt` ends 300 ms
 * after a SIGINT (Terraform's graceful stop); otherwise it ignores them and runs until killed.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface StandIn {
  bin: string;
  started: string;
  interrupts: string;
  /** Its pid, once it has started; 0 before. */
  pid(): number;
  /** Interrupts received so far. */
  received(): string[];
  /** SIGKILL, if it is still there. */
  kill(): void;
}

export function standInTerraform(dir: string, stopsOnInterrupt: boolean): StandIn {
  const bin = path.join(dir, 'terraform');
  const started = path.join(dir, 'started');
  const interrupts = path.join(dir, 'interrupts');
  const note = (sig: string) => `fs.appendFileSync(${JSON.stringify(interrupts)}, '${sig}\\n')`;
  fs.writeFileSync(
    bin,
    `#!${process.execPath}\nconst fs = require('fs');\nfs.writeFileSync(${JSON.stringify(started)}, String(process.pid));\n` +
      `process.on('SIGINT', () => { ${note('SIGINT')}; if (${stopsOnInterrupt}) setTimeout(() => process.exit(1), 300); });\n` +
      `process.on('SIGTERM', () => ${note('SIGTERM')});\nsetInterval(() => {}, 1000);\n`,
    { mode: 0o755 },
  );
  const pid = () => {
    try {
      return Number(fs.readFileSync(started, 'utf8')) || 0;
    } catch {
      return 0;
    }
  };
  return {
    bin,
    started,
    interrupts,
    pid,
    received: () => (fs.existsSync(interrupts) ? fs.readFileSync(interrupts, 'utf8').split('\n').filter(Boolean) : []),
    kill: () => {
      try {
        if (pid()) process.kill(pid(), 'SIGKILL');
      } catch {
        // gone
      }
    },
  };
}
