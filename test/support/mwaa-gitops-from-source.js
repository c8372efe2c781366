#!/usr/bin/env node
'use strict';
// bin/mwaa-gitops, but on the TypeScript sources (src/cli/index.ts) instead of dist/: see ./from-source.js.
require('./from-source').register();
require('../../src/cli/index.ts').run(process.argv);
