import { tagLimit } from '../../aws/names';
import { mostTagsOnOneResource, toolTags } from '../../aws/tags';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

const CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-TAG-001',
    severity: 'error',
    description:
      'At most 50 tags per resource counting the stack\'s own (managedTags: mwaa-gitops:environment, managed-by; Name on created network resources); keys 1-128 and values 0-256 characters of letters, digits, spaces and _.:/=+-@; no "aws:" key prefix.',
    // sources: MWAA API TagMap (max 50; TagKey 1-128, TagValue max 256, pattern [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*); AWS tagging rules (aws: prefix reserved; 50 tags per resource, data/aws-limits.json)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const entries = Object.entries(spec.tags);
    // Every resource carries the spec's tags plus the tool's own (provider default tags), and the resources of a
    // created network a Name tag too; AWS counts them all (src/aws/tags.ts).
    const max = tagLimit();
    const most = mostTagsOnOneResource(spec);
    if (most.count > max) {
      const own = most.keys.filter((k) => !(k in spec.tags));
      out.push(
        v(
          'tags',
          own.length
            ? `${entries.length} tags given plus the stack's own ${own.join(', ')} makes ${most.count} on ${spec.network.mode === 'create' ? 'the network resources' : 'every resource'}; AWS allows ${max} per resource.`
            : `${entries.length} tags given; AWS allows ${max} per resource.`,
          own.length
            ? `Remove tags until at most ${max - own.length} remain${Object.keys(toolTags(spec)).length ? `, or set managedTags: false to drop the tool's ${Object.keys(toolTags(spec)).length} tags` : ''}.`
            : `Remove tags until at most ${max} remain.`,
          { atKey: true },
        ),
      );
    }
    for (const [k, val] of entries) {
      const path = `tags.${k}`;
      if (k.length < 1 || k.length > 128) out.push(v(path, `Tag key "${k.slice(0, 40)}..." is ${k.length} characters; keys have 1 to 128.`, 'Shorten the tag key.', { atKey: true }));
      if (k.toLowerCase().startsWith('aws:')) out.push(v(path, `Tag key "${k}" uses the reserved "aws:" prefix.`, 'Rename the key without the "aws:" prefix.', { atKey: true }));
      if (!CHARS.test(k)) out.push(v(path, `Tag key "${k}" contains characters AWS rejects.`, 'Use letters, digits, spaces and _ . : / = + - @ only.', { atKey: true }));
      const s = String(val);
      if (s.length > 256) out.push(v(path, `The value of tag "${k}" is ${s.length} characters; values have at most 256.`, 'Shorten the value.'));
      if (!CHARS.test(s)) out.push(v(path, `The value of tag "${k}" contains characters AWS rejects.`, 'Use letters, digits, spaces and _ . : / = + - @ only.'));
    }
    return out;
  },
};
