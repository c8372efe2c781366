#!/usr/bin/env node
'use strict';
// Build step, after tsc: writes dist/src/spec/schema-validator.generated.js, the validator ajv compiles from
// schemas/environment.schema.json as code (ajv standalone), so a CLI process need not compile the schema
// (src/spec/schema.ts: used only when its digest matches the schema and options; else the schema is compiled).
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const schema = require(path.join(root, 'dist', 'src', 'spec', 'schema.js'));
const out = path.join(root, 'dist', 'src', 'spec', 'schema-validator.generated.js');
fs.writeFileSync(out, schema.precompiledModuleSource());
