/**
 * Random mutations of spec texts (a fixed-seed generator): deleted and swapped characters and lines, YAML snippets
 * (tabs, anchors, aliases, brackets, quotes, tags, directives, NULs ...), type swaps, truncation, re-indentation.
 * For the fuzz test (test/spec/fuzz.test.ts) and the two YAML parsers' differential test (test/spec/yaml-events.test.ts).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['\t', '&a ', '*a', '*nope', '<<: *a', '{', '}', '[', ']', ': ', '- ', '"', "'", '#', '|', '>', '!!binary ', '!Ref ', '~', 'null', '0x1F', '1e309', '-.inf', '\u0000', '\u202e', '日本語', '😀', '\ufeff', '${aws}', '%{x}', '---\n', '...\n', '? ', '__proto__: 1\n', 'constructor: 1\n', '\r\n', '  ', 'extends: ./_defaults.yaml\n', 'extends: ../../etc/passwd\n', 'extends: ./analytics-dev.yaml\n', 'source: ../../../etc/hosts'];
const TYPE_SWAPS: Array<[RegExp, string]> = [
  [/"2\.10\.3"/, '2.10'],
  [/\{ min: (\d+), max: (\d+) \}/, '[1, 2]'],
  [/mode: create/, 'mode: [create]'],
  [/routing: \w+/, 'routing: 7'],
  [/kms: [\w-]+/, 'kms: {}'],
  [/tags:/, 'tags: 5\nx:'],
  [/\[([^\]]*)\]/, '"$1"'],
  [/: true/, ': "yes"'],
  [/: ("[^"]*")/, ': [$1]'],
  [/apiVersion: .*/, 'apiVersion: null'],
];

export function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const pos = () => Math.floor(rnd() * (text.length + 1));
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const op = Math.floor(rnd() * 9);
    const p = pos();
    switch (op) {
      case 0: // delete a run of characters
        text = text.slice(0, p) + text.slice(p + 1 + Math.floor(rnd() * 8));
        break;
      case 1: { // duplicate a line (often a duplicate key)
        const lines = text.split('\n');
        const l = Math.floor(rnd() * lines.length);
        lines.splice(l, 0, lines[l]);
        text = lines.join('\n');
        break;
      }
      case 2: { // swap two characters
        const q = pos();
        const a = text.split('');
        [a[p], a[q]] = [a[q], a[p]];
        text = a.join('');
        break;
      }
      case 3: // insert a snippet
        text = text.slice(0, p) + pick(SNIPPETS) + text.slice(p);
        break;
      case 4: { // change a type
        const [re, rep] = pick(TYPE_SWAPS);
        text = text.replace(re, rep);
        break;
      }
      case 5: // truncate
        text = text.slice(0, p);
        break;
      case 6: { // swap two lines
        const lines = text.split('\n');
        const a = Math.floor(rnd() * lines.length);
        const b = Math.floor(rnd() * lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        text = lines.join('\n');
        break;
      }
      case 7: { // re-indent a line
        const lines = text.split('\n');
        const l = Math.floor(rnd() * lines.length);
        lines[l] = (rnd() < 0.5 ? ' ' : '\t') + lines[l].replace(/^ /, rnd() < 0.5 ? '' : ' ');
        text = lines.join('\n');
        break;
      }
      default: // anchors and aliases
        text = text.replace(/^(\w+):/m, '$1: &a').replace(/\n(\w+):.*$/m, '\n$1: *a');
    }
  }
  return text;
}
