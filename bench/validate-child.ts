/**
 * Child process of the validation benchmark: loads the validator, validates every environment of the
 * repository given as argv[2] once (cold: schema compilation and rule tables included) and prints one JSON line:
 * { loadMs, validateMs, files, findings, errors, maxRssMb }. Peak RSS is read by the parent (GNU time) when
 * available; `maxRssMb` here is process.resourceUsage().maxRSS as a fallback.
 */
const t0 = process.hrtime.bigint();
const { discoverEnvironments, validateFiles } = require('../src/engine/validate') as typeof import('../src/engine/validate');
const { hasErrors } = require('../src/findings') as typeof import('../src/findings');
const t1 = process.hrtime.bigint();
const root = process.argv[2];
const files = discoverEnvironments(root);
const report = validateFiles(files, { repoRoot: root });
const t2 = process.hrtime.bigint();
process.stdout.write(
  `${JSON.stringify({
    loadMs: Number(t1 - t0) / 1e6,
    validateMs: Number(t2 - t1) / 1e6,
    files: files.length,
    findings: report.findings.length,
    errors: hasErrors(report.findings),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
