/**
 * Liquid is never executed. Jekyll would run it against a whole site we do not have, so Backfile keeps only
 * what a reader can use and drops the rest before the body is rendered:
 * - `{% highlight lang %}…{% endhighlight %}` becomes a code block (a Markdown fence, or `<pre><code>` in HTML);
 * - `{% raw %}…{% endraw %}` keeps its content literally;
 * - `{% comment %}…{% endcomment %}` is dropped with its content;
 * - every other `{% … %}` tag and every `{{ … }}` output is removed: its value depends on the site,
 *   and left in place it is noise in the text, the excerpt and search. A tag alone on its line takes the line with it.
 * As in Jekyll, Liquid inside code is processed too; `{% raw %}` is how authors show Liquid literally.
 * A block whose end tag is missing is treated as a lone tag (removed), never as "the rest of the post".
 * Unterminated `{%`/`{{` stay as text, and so does one whose closing `%}`/`}}` lies across a blank line or more than
 * a thousand characters away: that is prose with stray braces, not a tag, and removing it would lose the text between.
 * The scan is linear: every search position only moves forward.
 */

import { escapeText } from './html-escape';

export type BodyFormat = 'markdown' | 'html';

const TAG_NAME = /^[A-Za-z_][\w-]*/;
const LANG = /^[\w+#.-]{1,40}/;
const BLANK_LINE = /\n[ \t\r]*\n/g;
/** Longest span a tag or output may have (long `include` tags with parameters are a few hundred characters). */
const MAX_SPAN = 1000;

/** Removes or converts Liquid in a post body; see the file comment for what happens to each construct. */
export function stripLiquid(body: string, format: BodyFormat): string {
  if (!body.includes('{%') && !body.includes('{{')) return body;
  // Output as chunks: slicing a growing string would copy it again and again.
  const out: string[] = [];
  let i = 0;
  // Positions of the next `{%` / `{{` at or after i (-1: none left), refreshed only when passed.
  let nextTag = body.indexOf('{%');
  let nextOutput = body.indexOf('{{');
  let tagsCanClose = true;
  let outputsCanClose = true;
  // Per block name, a position after which its end tag is known to be missing (keeps the scan linear).
  const noEndAfter = new Map<string, number>();
  // The next `%}`, `}}` and blank line found so far: reused while they still lie ahead.
  let tagClose = -1;
  let outputClose = -1;
  let nextBlank = -1; // -1: not searched yet, -2: none left

  while (i < body.length) {
    if (nextTag !== -1 && nextTag < i) nextTag = body.indexOf('{%', i);
    if (nextOutput !== -1 && nextOutput < i) nextOutput = body.indexOf('{{', i);
    const useTag = tagsCanClose && nextTag !== -1;
    const useOutput = outputsCanClose && nextOutput !== -1;
    if (!useTag && !useOutput) break;
    const isTag = useTag && (!useOutput || nextTag < nextOutput);
    const start = isTag ? nextTag : nextOutput;
    let close = isTag ? tagClose : outputClose;
    if (close < start + 2) {
      close = body.indexOf(isTag ? '%}' : '}}', start + 2);
      if (isTag) tagClose = close;
      else outputClose = close;
    }
    if (close === -1) {
      // Nothing after here can close this kind of markup: the rest of them are plain text.
      if (isTag) tagsCanClose = false;
      else outputsCanClose = false;
      continue;
    }
    if (nextBlank === -1 || (nextBlank >= 0 && nextBlank < start)) {
      BLANK_LINE.lastIndex = start;
      nextBlank = BLANK_LINE.exec(body)?.index ?? -2;
    }
    if (close - start > MAX_SPAN || (nextBlank >= 0 && nextBlank < close)) {
      // Stray braces in prose: keep them as text and look for Liquid after them.
      out.push(body.slice(i, start + 2));
      i = start + 2;
      continue;
    }
    out.push(body.slice(i, start));
    const end = close + 2;

    if (isTag) {
      const inner = body.slice(start + 2, close).replace(/^-/, '').replace(/-$/, '').trim();
      const name = TAG_NAME.exec(inner)?.[0].toLowerCase() ?? '';
      const block = name === 'raw' || name === 'comment' || name === 'highlight' ? findEndTag(body, end, name, noEndAfter) : null;
      if (block) {
        const content = body.slice(end, block.start);
        if (name === 'raw') out.push(content);
        if (name === 'highlight') {
          const lang = LANG.exec(inner.slice(name.length).trim())?.[0] ?? '';
          pushCodeBlock(out, stripLiquid(content, format), lang, format);
          // Keep what follows the block off the closing fence's line.
          const after = body[block.end];
          if (format === 'markdown' && after !== undefined && after !== '\n' && after !== '\r') out.push('\n');
        }
        i = block.end;
        continue;
      }
    }
    // A removed tag or output: when it was alone on its line, remove the line too.
    const restEnd = skipBlanks(body, end);
    if ((restEnd === body.length || body[restEnd] === '\n') && lineIsBlank(out)) {
      trimBlankLineEnd(out);
      i = restEnd + 1;
    } else {
      i = end;
    }
  }
  if (i < body.length) out.push(body.slice(i));
  return out.join('');
}

function skipBlanks(text: string, from: number): number {
  let k = from;
  while (k < text.length && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
  return k;
}

/** Is the output's current (last) line empty or made only of spaces and tabs? */
function lineIsBlank(out: string[]): boolean {
  for (let c = out.length - 1; c >= 0; c--) {
    const chunk = out[c] ?? '';
    for (let k = chunk.length - 1; k >= 0; k--) {
      const ch = chunk[k];
      if (ch === '\n') return true;
      if (ch !== ' ' && ch !== '\t' && ch !== '\r') return false;
    }
  }
  return true;
}

/** Drops the trailing spaces and tabs of the output's current line (callers checked it is blank). */
function trimBlankLineEnd(out: string[]): void {
  while (out.length > 0) {
    const chunk = out[out.length - 1] ?? '';
    const trimmed = chunk.replace(/[ \t\r]+$/, '');
    if (trimmed.length > 0) {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}

const END_TAGS: Record<string, RegExp> = {
  raw: /\{%-?\s*endraw\s*-?%\}/gi,
  comment: /\{%-?\s*endcomment\s*-?%\}/gi,
  highlight: /\{%-?\s*endhighlight\s*-?%\}/gi,
};

/** Finds `{% endNAME %}` (with optional whitespace-control dashes) at or after `from`. */
function findEndTag(
  body: string,
  from: number,
  name: string,
  noEndAfter: Map<string, number>,
): { start: number; end: number } | null {
  const pattern = END_TAGS[name];
  const missingFrom = noEndAfter.get(name);
  if (!pattern || (missingFrom !== undefined && from >= missingFrom)) return null;
  pattern.lastIndex = from;
  const match = pattern.exec(body);
  if (!match) {
    noEndAfter.set(name, from);
    return null;
  }
  return { start: match.index, end: match.index + match[0].length };
}

function pushCodeBlock(out: string[], rawCode: string, lang: string, format: BodyFormat): void {
  // Jekyll drops the line breaks right after the opening tag and right before the closing one.
  const code = rawCode.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
  if (format === 'html') {
    out.push(`<pre><code>${escapeText(code)}</code></pre>`);
    return;
  }
  // A fence must start its own line (unindented), and be longer than any run of backticks inside the code.
  if (lineIsBlank(out)) trimBlankLineEnd(out);
  else out.push('\n');
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  out.push(`${fence}${lang}\n${code}\n${fence}`);
}
