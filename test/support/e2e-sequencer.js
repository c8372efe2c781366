'use strict';
// jest testSequencer of the e2e suites: the longest files start first, so no long file starts last and keeps one
// worker busy after the others have finished. jest orders by the durations of its last run on this machine; a fresh
// clone (CI) has none, and jest would order by file size, which says little here (a small file can apply three
// environments). So a file without a recorded duration gets its expected duration from this table (seconds: each
// file's wall time in the CI run of commit 3a5fdd1, two workers beside npm test; for the files split since, an
// estimate of their share). A new file not in the table starts first, as jest does with files it has not timed.
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const EXPECTED_SECONDS = {
  'workflows.e2e.test.ts': 530,
  'reconcile-dev.e2e.test.ts': 500,
  'reliability-secrets.e2e.test.ts': 335,
  's3-state.e2e.test.ts': 335,
  'reliability-faults.e2e.test.ts': 330,
  'reconcile-prod.e2e.test.ts': 330,
  'reliability-concurrency.e2e.test.ts': 280,
  'reliability-faults-kill.e2e.test.ts': 250,
  'consumer.e2e.test.ts': 250,
  'reconcile-failure.e2e.test.ts': 200,
  'harness.e2e.test.ts': 165,
  'import.e2e.test.ts': 105,
  'kill.e2e.test.ts': 85,
  'pr-comment.e2e.test.ts': 75,
  'resolve.e2e.test.ts': 60,
  'mwaa-fake.e2e.test.ts': 10,
};

class E2eSequencer extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded != null) return recorded;
    const expected = EXPECTED_SECONDS[path.basename(test.path)];
    return expected == null ? undefined : expected * 1000;
  }
}

module.exports = E2eSequencer;
