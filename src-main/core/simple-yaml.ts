/**
 * The fast path of front-matter.ts: the front matter of nearly every real post read without a YAML parser
 * (gray-matter + yaml took about a quarter of the time to parse a post). Never guesses: whatever is not
 * trivially simple is left to the full parser, and tests/core/front-matter.test.ts compares both paths.
 */
/** Characters that make a line not simple: tabs, controls, lone CR, line/paragraph separators, BOM, surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for.
const NOT_SIMPLE_CHAR = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Scalars the YAML 1.2 core schema reads as null, booleans or numbers (from yaml's core schema). */
const NOT_A_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Characters a plain scalar may not start with (YAML indicators), conservatively. */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const NOT_SIMPLE = Symbol('not simple');

/**
 * The front matter of nearly every real post: one `key: value` per line, values plain or quoted text,
 * or a flow list of plain words (`tags: [a, b]`). Returns what the full YAML parser would return, or null
 * as soon as a line is anything else (nesting, numbers, booleans, escapes, comments after a value, anchors…),
 * and the full parser reads the block. tests/core/front-matter.test.ts compares both on many inputs.
 */
export function simpleYaml(block: string, maxChars: number): Record<string, unknown> | null {
  if (block.length > maxChars) return null;
  const data: Record<string, unknown> = {};
  for (const raw of block.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (NOT_SIMPLE_CHAR.test(line)) return null;
    // Only spaces count as blank here: JavaScript's trim() also takes no-break spaces, which YAML keeps.
    if (/^ *$/.test(line) || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const key = line.slice(0, colon);
    if (colon <= 0 || !SIMPLE_KEY.test(key) || key === '__proto__' || NOT_A_STRING.some((re) => re.test(key))) return null;
    const rest = line.slice(colon + 1);
    if (rest !== '' && !rest.startsWith(' ')) return null;
    const value = simpleValue(trimSpaces(rest));
    if (value === NOT_SIMPLE) return null;
    data[key] = value;
  }
  return data;
}

function simpleValue(value: string): string | string[] | null | typeof NOT_SIMPLE {
  if (value === '') return null;
  const first = value[0];
  const inner = value.slice(1, -1);
  if (first === '"') return value.length >= 2 && value.endsWith('"') && !/["\\]/.test(inner) ? inner : NOT_SIMPLE;
  if (first === "'") return value.length >= 2 && value.endsWith("'") && /^(?:[^']|'')*$/.test(inner) ? inner.replace(/''/g, "'") : NOT_SIMPLE;
  if (first === '[') {
    if (!value.endsWith(']') || /[[\]{}"'#:]/.test(inner)) return NOT_SIMPLE;
    if (/^ *$/.test(inner)) return [];
    const items = inner.split(',').map(trimSpaces);
    return items.every((item) => isPlainString(item)) ? items : NOT_SIMPLE;
  }
  return isPlainString(value) ? value : NOT_SIMPLE;
}

const trimSpaces = (text: string): string => text.replace(/^ +| +$/g, '');

/** A plain scalar that the core schema reads as this very string. */
function isPlainString(value: string): boolean {
  return (
    value !== '' &&
    !INDICATOR.test(value) &&
    !value.includes(': ') &&
    !value.includes(' #') &&
    !value.endsWith(':') &&
    !NOT_A_STRING.some((re) => re.test(value))
  );
}
