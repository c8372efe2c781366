'use strict';
/**
 * Lets a plain `node` child process run the TypeScript sources (src/, stacks/), the way ts-jest runs them in process:
 * tests that need the CLI as a real process (exit codes, EPIPE, memory limits, a clean environment) start
 * test/support/mwaa-gitops-from-source.js, which registers this first. Nothing runs from dist/, so a stale build can
 * never make a test pass (README, Testing).
 *
 * Each file is transpiled alone (TypeScript's transpileModule, like ts-jest with isolatedModules: no type check, that
 * is `npm run typecheck`); the output is cached under the OS temp directory keyed by the file's path and content, the
 * TypeScript version and these options, so only the first process after a change pays for the compiler.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const TS_VERSION = JSON.parse(fs.readFileSync(require.resolve('typescript/package.json', { paths: [ROOT] }), 'utf8')).version;
const OPTIONS = { target: 'ES2022', module: 'CommonJS', esModuleInterop: true, resolveJsonModule: true, isolatedModules: true, sourceMap: false };
const SALT = `${TS_VERSION}\0${JSON.stringify(OPTIONS)}\0`;
// outside the test run's own temp directory (test/support/test-tmp.js), which its teardown removes: the cache outlives runs
const CACHE = path.join(process.env.MWAA_GITOPS_TEST_TMPDIR_BASE ?? os.tmpdir(), `mwaa-gitops-from-source-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);

let ts;
let compilerOptions;

function transpile(source, filename) {
  if (!ts) {
    ts = require(require.resolve('typescript', { paths: [ROOT] }));
    compilerOptions = ts.convertCompilerOptionsFromJson(OPTIONS, ROOT).options;
  }
  const r = ts.transpileModule(source, { fileName: filename, compilerOptions, reportDiagnostics: false });
  return r.outputText;
}

/** The JavaScript of one source file, from the cache or transpiled (and cached). */
function compiled(filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(SALT).update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const out = transpile(source, filename);
    try {
      fs.mkdirSync(CACHE, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, out);
      fs.renameSync(tmp, cached);
    } catch {
      // a read-only temp directory only costs speed
    }
    return out;
  }
}

/**
 * Fills the cache for every source file (jest globalSetup), so that no child process started by a test pays for
 * the compiler: the corpus test holds each CLI run to 2 s of CPU, node start-up included.
 */
function warm() {
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
    });
  const files = [path.join(ROOT, 'main.ts'), ...walk(path.join(ROOT, 'src')), ...walk(path.join(ROOT, 'stacks'))];
  for (const f of files) compiled(f);
  return files.length;
}

/** Makes `require` of a .ts file run its transpiled JavaScript. */
function register() {
  require.extensions['.ts'] = function compileTs(module, filename) {
    module._compile(compiled(filename), filename);
  };
}

module.exports = { register, warm };
