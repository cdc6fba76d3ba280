import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { UploadStaging } from '../../src-main/node/import/stage-uploads';
import { stageUploadBody } from '../../src-main/server/upload-body';

/** The body cut into pieces of `size` bytes (1: every byte its own chunk, splitting escapes and UTF-8). */
async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const staged = async (body: string, size: number) => {
  const result = await stageUploadBody(pieces(body, size), await UploadStaging.create(), 1 << 20);
  const files: Record<string, string> = {};
  for (const source of result.sources) {
    for (const entry of fs.readdirSync(source, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files[path.relative(path.dirname(source), path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    }
  }
  await result.remove();
  return files;
};
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('stageUploadBody', () => {
  const body = JSON.stringify({
    args: [[
      { path: '同事/_posts/2024-01-01-经济.md', data: b64('---\ntitle: 经济\n---\n正文\n') },
      { data: b64('data before path'), path: 'loose "quoted" \t name.md' },
      { path: 'x/_posts/odd.md', data: b64('ab').replace(/=+$/, '') },
    ]],
  });
  const expected = {
    '同事/_posts/2024-01-01-经济.md': '---\ntitle: 经济\n---\n正文\n',
    'dropped/loose "quoted" \t name.md': 'data before path',
    'x/_posts/odd.md': 'ab',
  };

  test.each([1, 2, 3, 7, 64, 1 << 20])('writes the same files however the body is cut (%i-byte chunks)', async (size) => {
    expect(await staged(body, size)).toEqual(expected);
  });

  test('reads JSON escapes and whitespace as JSON does', async () => {
    const spaced = '{ "args" : [ [ { "path" : "a\\u002fb\\/c.md" , "data" : "' + b64('hi') + '" } ] ] }\n';
    expect(await staged(spaced, 5)).toEqual({ 'a/b/c.md': 'hi' });
  });

  test.each([
    ['null', /JSON object/],
    ['[]', /must be/],
    ['{"args":null}', /must be/],
    ['{"__proto__":[]}', /only "args"/],
    ['{"args":[[]]}', /1 to/],
    ['{"args":[[{"path":"a.md"}]]}', /only path and data/],
    ['{"args":[[{"path":"a.md","data":"YQ==","extra":"x"}]]}', /only path and data/],
    ['{"args":[[{"path":"a.md","path":"b.md","data":"YQ=="}]]}', /only path and data/],
    ['{"args":[[{"path":"a.md","data":"<script>"}]]}', /base64/],
    ['{"args":[[{"path":"a.md","data":"YQ=a"}]]}', /base64/],
    ['{"args":[[{"path":"a.md","data":"YQ==="}]]}', /base64/],
    ['{"args":[[{"path":1,"data":"YQ=="}]]}', /must be/],
    ['{"args":[[{"path":"a.md","data":"YQ=="}],[]]}', /at most 1 argument/],
    ['{"args":[[{"path":"a.md","data":"YQ=="}]]', /not valid JSON/],
    ['{"args":[[{"path":"a.md","data":"YQ=="}]]}x', /not valid JSON/],
  ])('refuses %s as INVALID_ARGUMENT', async (text, message) => {
    await expect(stageUploadBody(pieces(text, 3), await UploadStaging.create(), 1 << 20)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });
  });

  test('reads JSON escapes inside data as the characters they stand for', async () => {
    const slashy = Buffer.from([0xff, 0xff, 0xff]).toString('base64'); // "////", sent as "\/\/\/\/"
    const text = '{"args":[[{"path":"x/a.md","data":"' + slashy.replaceAll('/', '\\/') + '"},{"path":"x/b.md","data":"YQ\\u003d\\u003d"}]]}';
    for (const size of [1, 2, 5, 1 << 20]) {
      const result = await stageUploadBody(pieces(text, size), await UploadStaging.create(), 1 << 20);
      expect([...fs.readFileSync(path.join(result.sources[0]!, 'a.md'))]).toEqual([0xff, 0xff, 0xff]);
      expect(fs.readFileSync(path.join(result.sources[0]!, 'b.md'), 'utf8')).toBe('a');
      await result.remove();
    }
    // An escape that decodes to something other than base64 is still refused.
    await expect(stageUploadBody(pieces('{"args":[[{"path":"a.md","data":"YQ\\n=="}]]}', 3), await UploadStaging.create(), 1 << 20)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/base64/) });
  });

  test.runIf(process.platform === 'linux')('closes every staged file when the body is refused part way', async () => {
    const fds = () => fs.readdirSync('/proc/self/fd').length;
    async function* chunks() {
      yield Buffer.from('{"args":[[{"path":"x/a.md","data":"QUJD"');
      yield Buffer.from('},{"path":"x/b.md","data":"!!"}]]}');
    }
    const before = fds();
    await expect(stageUploadBody(chunks(), await UploadStaging.create(), 1 << 20)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/base64/) });
    expect(fds()).toBe(before);
  });

  test('keeps the real error when removing the staging folder fails', async () => {
    const staging = await UploadStaging.create();
    const remove = staging.remove.bind(staging);
    staging.remove = async () => {
      await remove();
      throw new Error('cleanup failed');
    };
    await expect(stageUploadBody(pieces('{"args":[[{"path":"a.md","data":"!!"}]]}', 4), staging, 1 << 20)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test.each([
    [['a/b', 'a/b/c'], /"a\/b\/c" inside "a\/b"/],
    [['a/b', 'a/b/c/d'], /"a\/b\/c\/d" inside "a\/b"/],
    [['a/b/c', 'a/b'], /"a\/b" as a file and as a folder/],
    [['a/b', 'a/b'], /"a\/b" twice/],
  ])('refuses a drop whose paths %j clash as INVALID_ARGUMENT naming them', async (paths, message) => {
    const text = JSON.stringify({ args: [paths.map((p) => ({ path: p, data: b64('x') }))] });
    await expect(stageUploadBody(pieces(text, 7), await UploadStaging.create(), 1 << 20)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });
  });

  test('refuses paths that leave the drop (UNSAFE_PATH) and bodies over the limit (TOO_LARGE)', async () => {
    const escape = JSON.stringify({ args: [[{ path: '../../outside.md', data: b64('x') }]] });
    await expect(stageUploadBody(pieces(escape, 4), await UploadStaging.create(), 1 << 20)).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(stageUploadBody(pieces(body, 16), await UploadStaging.create(), 100)).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });
});
