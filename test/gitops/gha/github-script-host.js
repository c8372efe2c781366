#!/usr/bin/env node
// Runs the `script` of an actions/github-script step the way that action does (an async function body with
// `github`, `context`, `core` and `require` in scope, in the job's workspace), against a fake GitHub API that keeps
// its state in a JSON file: issue comments and issues, and every call made. Test harness code (test/gitops/gha).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [inputFile, stateFile] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
state.comments = state.comments || {};
state.issues = state.issues || [];
state.calls = state.calls || [];
state.nextId = state.nextId || 1000;

const record = (method, params) => state.calls.push({ method, params });
const save = () => fs.writeFileSync(stateFile, JSON.stringify(state, null, 1));
const need = (params, ...keys) => {
  for (const k of keys) if (params[k] === undefined || params[k] === null || params[k] === '') throw new Error(`fake github: ${k} is required`);
};

const issues = {
  async listComments(params) {
    record('issues.listComments', params);
    need(params, 'owner', 'repo', 'issue_number');
    return { data: state.comments[params.issue_number] || [] };
  },
  async createComment(params) {
    record('issues.createComment', params);
    need(params, 'owner', 'repo', 'issue_number', 'body');
    const c = { id: state.nextId++, body: params.body };
    (state.comments[params.issue_number] = state.comments[params.issue_number] || []).push(c);
    return { data: c };
  },
  async updateComment(params) {
    record('issues.updateComment', params);
    need(params, 'owner', 'repo', 'comment_id', 'body');
    for (const list of Object.values(state.comments)) {
      const c = list.find((x) => x.id === params.comment_id);
      if (c) {
        c.body = params.body;
        return { data: c };
      }
    }
    throw new Error(`fake github: no comment ${params.comment_id} (404)`);
  },
  async listForRepo(params) {
    record('issues.listForRepo', params);
    need(params, 'owner', 'repo');
    const labels = params.labels ? String(params.labels).split(',') : [];
    const data = state.issues.filter((i) => (params.state === 'all' || i.state === (params.state || 'open')) && labels.every((l) => i.labels.includes(l)));
    return { data };
  },
  async create(params) {
    record('issues.create', params);
    need(params, 'owner', 'repo', 'title');
    const i = { number: state.nextId++, title: params.title, body: params.body || '', labels: params.labels || [], state: 'open' };
    state.issues.push(i);
    return { data: i };
  },
  async update(params) {
    record('issues.update', params);
    need(params, 'owner', 'repo', 'issue_number');
    const i = state.issues.find((x) => x.number === params.issue_number);
    if (!i) throw new Error(`fake github: no issue ${params.issue_number} (404)`);
    if (params.body !== undefined) i.body = params.body;
    if (params.state !== undefined) i.state = params.state;
    if (params.title !== undefined) i.title = params.title;
    return { data: i };
  },
};

const repos = {
  // GitHub: the pull requests a commit belongs to, merged ones included (merge_commit_sha is the commit that landed)
  async listPullRequestsAssociatedWithCommit(params) {
    record('repos.listPullRequestsAssociatedWithCommit', params);
    need(params, 'owner', 'repo', 'commit_sha');
    return { data: (state.pulls || []).filter((p) => p.merge_commit_sha === params.commit_sha || p.head.sha === params.commit_sha) };
  },
};

const actions = {
  async listWorkflowRuns(params) {
    record('actions.listWorkflowRuns', params);
    need(params, 'owner', 'repo', 'workflow_id');
    const runs = (state.runs || [])
      .filter((r) => r.path === `.github/workflows/${params.workflow_id}` || r.path === params.workflow_id)
      .filter((r) => (!params.event || r.event === params.event) && (!params.head_sha || r.head_sha === params.head_sha))
      .sort((a, b) => b.id - a.id);
    return { data: { total_count: runs.length, workflow_runs: runs } };
  },
};

const outputs = {};
const github = {
  rest: { issues, repos, actions },
  async paginate(method, params) {
    return (await method(params)).data;
  },
};
const core = {
  setFailed(m) {
    process.exitCode = 1;
    process.stderr.write(`::error::${m}\n`);
  },
  setOutput(name, value) {
    outputs[name] = String(value);
  },
  info(m) {
    process.stdout.write(`${m}\n`);
  },
};

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const fn = new AsyncFunction('require', 'github', 'context', 'core', input.script);
const saveOutputs = () => input.outputsFile && fs.writeFileSync(input.outputsFile, JSON.stringify(outputs));
fn(createRequire(path.join(process.cwd(), 'github-script.js')), github, input.context, core)
  .then(() => {
    save();
    saveOutputs();
  })
  .catch((e) => {
    save();
    process.stderr.write(`::error::Unhandled error: ${e && e.message}\n`);
    process.exitCode = 1;
  });
