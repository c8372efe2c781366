import { LiteralTable, escapeTemplate } from '../../stacks/literal';
import { devSpec, synthSpec } from './fixtures';

describe('escapeTemplate', () => {
  it('doubles the template introducers only', () => {
    expect(escapeTemplate('a ${b} %{c} $d %e {f}')).toBe('a $${b} %%{c} $d %e {f}');
  });
});

describe('LiteralTable', () => {
  it('substitutes placeholders with escaped values, JSON-escaped inside JSON documents', () => {
    const t = new LiteralTable();
    const p = t.lit('x"${y}');
    expect(p).not.toContain('$');
    expect(t.resolveString(`pre-${p}-post`)).toBe('pre-x"$${y}-post');
    const doc = t.json({ a: p });
    expect(t.resolveString(doc)).toBe('{"a":"x\\"$${y}"}');
  });

  it('keeps a trailing $ from joining a following {', () => {
    const t = new LiteralTable();
    const s = t.resolveString(`${t.lit('a$')}{b}`);
    expect(s).toBe('a${"$"}{b}');
  });

  it('resolves object keys as well as values', () => {
    const t = new LiteralTable();
    expect(t.resolveTree({ [t.lit('${k}')]: [t.lit('%{v}')] })).toEqual({ '$${k}': ['%%{v}'] });
  });
});

describe('spec strings reach cdk.tf.json as literals', () => {
  const hostile = {
    expr: '${aws_iam_role.x.arn}',
    directive: '%{ if true }x%{ endif }',
    token: '${TfToken[TOKEN.1]}',
    listToken: '#{TfToken[TOKEN.2]}',
    mapToken: '&{TfToken[TOKEN.3]}',
    numberToken: '-1.8881545897087626e+289',
    escaped: '$${already}',
  };
  const spec = devSpec({ tags: { owner: hostile.expr, '${key}': 'v' } });
  spec.airflow.configuration = {
    'custom.expr': hostile.expr,
    'custom.directive': hostile.directive,
    'custom.token': hostile.token,
    'custom.list_token': hostile.listToken,
    'custom.map_token': hostile.mapToken,
    'custom.number': hostile.numberToken,
    'custom.escaped': hostile.escaped,
  };
  spec.iam.extraPolicyStatements = [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*', Condition: { StringEquals: { 'aws:PrincipalTag/x': hostile.token } } },
  ];
  const tf = synthSpec(spec);
  const opts = tf.resource.aws_mwaa_environment.environment.airflow_configuration_options;

  it('escapes ${ and %{ in configuration values', () => {
    expect(opts['custom.expr']).toBe('$${aws_iam_role.x.arn}');
    expect(opts['custom.directive']).toBe('%%{ if true }x%%{ endif }');
    expect(opts['custom.escaped']).toBe('$$${already}');
  });

  it('never lets CDKTF resolve token-like spec strings', () => {
    expect(opts['custom.token']).toBe('$${TfToken[TOKEN.1]}');
    expect(opts['custom.list_token']).toBe(hostile.listToken);
    expect(opts['custom.map_token']).toBe(hostile.mapToken);
    expect(opts['custom.number']).toBe(hostile.numberToken);
    expect(JSON.stringify(tf)).not.toMatch(/[\uE000-\uE003]/);
  });

  it('escapes tag keys and values (provider default_tags and resource tags)', () => {
    const tags = tf.provider.aws[0].default_tags[0].tags;
    expect(tags.owner).toBe('$${aws_iam_role.x.arn}');
    expect(tags['$${key}']).toBe('v');
    expect(tf.resource.aws_mwaa_environment.environment.tags.owner).toBe('$${aws_iam_role.x.arn}');
  });

  it('escapes inside policy JSON: IAM policy variables stay IAM variables', () => {
    const policy = tf.resource.aws_iam_policy.execution_policy.policy as string;
    expect(policy).toContain('"arn:aws:s3:::b/$${aws:username}/*"');
    expect(policy).toContain('"aws:PrincipalTag/x":"$${TfToken[TOKEN.1]}"');
  });
});
