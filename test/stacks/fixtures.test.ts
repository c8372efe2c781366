/** The stack-test helper cleans up after itself: cdktf's Testing.app() creates an output directory per app in the
 * temporary directory, which synthSpec must remove (thousands of synths per run used to leave as many folders). */
import * as fs from 'fs';
import * as path from 'path';
import { devSpec, synthSpec } from './fixtures';

// the os module object itself (the one cdktf and the fixtures call), not TypeScript's import wrapper
const os: typeof import('os') = require('os');

test('synthSpec leaves nothing behind in the temporary directory', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-synthspec-'));
  const spy = jest.spyOn(os, 'tmpdir').mockReturnValue(tmp);
  try {
    const tf = synthSpec(devSpec());
    expect(Object.keys(tf.resource)).toContain('aws_mwaa_environment');
    expect(spy).toHaveBeenCalled();
    expect(fs.readdirSync(tmp)).toEqual([]);
  } finally {
    spy.mockRestore();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
