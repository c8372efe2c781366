import { diffSpecs, diffLine, formatDiffs, fence } from '../../src/gitops/spec-diff';

describe('diffSpecs', () => {
  const base = {
    name: 'dev',
    airflow: {
      workers: { min: 1, max: 5 },
      configuration: { 'core.default_task_retries': '3', 'core.parallelism': '32', 'smtp.smtp_password': 'hunter2' },
    },
    network: { subnetIds: ['subnet-a', 'subnet-b'], privateSubnets: ['10.200.1.0/24', '10.200.2.0/24'] },
    bucket: { requirements: { source: 'airflow/requirements.txt', key: 'requirements.txt' } },
    tags: { team: 'data' },
  };
  const head = {
    name: 'dev',
    airflow: {
      workers: { min: 1, max: 8 },
      configuration: {
        'core.default_task_retries': '3',
        'smtp.smtp_password': 'correct-horse',
        'webserver.instance_name': 'Dev',
        'secrets.backend_kwargs': '{"url":"postgresql://admin:s3cr3t@db:5432/x"}',
      },
    },
    network: { subnetIds: ['subnet-a', 'subnet-c'], privateSubnets: ['10.200.3.0/24', '10.200.4.0/24'] },
    bucket: { requirements: { source: 'airflow/requirements.txt', key: 'reqs/requirements.txt' } },
    tags: { team: 'data', api_token_owner: 'abc' },
  };

  it('lists changed, added and removed leaves with dotted/bracketed paths', () => {
    const lines = diffSpecs(base, head).map(diffLine);
    expect(lines).toEqual(
      [
        '+ airflow.configuration["secrets.backend_kwargs"]: ****',
        '- airflow.configuration["core.parallelism"]: 32',
        '~ airflow.configuration["smtp.smtp_password"]: **** -> ****',
        '+ airflow.configuration["webserver.instance_name"]: Dev',
        '~ airflow.workers.max: 5 -> 8',
        '~ bucket.requirements.key: requirements.txt -> reqs/requirements.txt',
        '~ network.privateSubnets: ["10.200.1.0/24","10.200.2.0/24"] -> ["10.200.3.0/24","10.200.4.0/24"]',
        '~ network.subnetIds: ["subnet-a","subnet-b"] -> ["subnet-a","subnet-c"]',
        '+ tags.api_token_owner: abc',
      ].sort((a, b) => a.slice(2).localeCompare(b.slice(2))),
    );
  });

  it('never prints a secret value; always prints topology (subnets, CIDRs, IDs)', () => {
    const text = formatDiffs([{ name: 'dev', status: 'changed', entries: diffSpecs(base, head) }], 'text');
    for (const secret of ['hunter2', 'correct-horse', 's3cr3t']) expect(text).not.toContain(secret);
    expect(text).toContain('airflow.workers.max: 5 -> 8');
    for (const v of ['10.200.1.0/24', '10.200.2.0/24', '10.200.3.0/24', '10.200.4.0/24', 'subnet-c']) expect(text).toContain(v);
  });

  it('masks by what a value is (secret options, credentials), not by a word in a key name', () => {
    const e = diffSpecs({ airflow: { configuration: {} } }, { airflow: { configuration: { 'x.db_conn': 'postgresql://admin:s3cr3t@db/x', 'x.conn_id': 'aws_default' } }, tags: { token_owner: 'me' } });
    expect(e.map(diffLine)).toEqual(['+ airflow.configuration["x.conn_id"]: aws_default', '+ airflow.configuration["x.db_conn"]: postgresql://admin:****@db/x', '+ tags.token_owner: me']);
    expect(e.find((x) => x.path.includes('db_conn'))?.masked).toBe(true);
    expect(e.find((x) => x.path.includes('conn_id'))?.masked).toBe(false);
  });

  it('expands an added object into one line per key; identical specs give nothing', () => {
    expect(diffSpecs({ a: 1 }, { a: 1, b: { c: 2, d: 'x y' } }).map(diffLine)).toEqual(['+ b.c: 2', '+ b.d: "x y"']);
    expect(diffSpecs(head, JSON.parse(JSON.stringify(head)))).toEqual([]);
  });

  it('renders markdown in a fence that content cannot close', () => {
    const md = formatDiffs([{ name: 'x', status: 'changed', entries: diffSpecs({ a: '```' }, { a: '````' }) }], 'markdown');
    expect(md).toContain('`````diff');
    expect(fence('a')).toBe('```\na\n```');
    const json = JSON.parse(formatDiffs([{ name: 'x', status: 'new', entries: [] }], 'json'));
    expect(json.environments[0]).toEqual({ name: 'x', status: 'new', entries: [] });
  });
});
