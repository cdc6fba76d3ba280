/**
 * What a post's similarity signature costs the parse thread, in CPU time: every post of an archive is read and parsed
 * once (as a parse thread does), then, `rounds` times each, the signature alone (core/similarity signatureOf: fold,
 * boilerplate lines, shingles, MinHash) and the rest of what a parse thread makes for the writer (postFtsText with
 * signatures off: tokens and the deflated text), with process.cpuUsage() around each.
 *
 *   node --import tsx tests/bench/signature-cost.ts ARCHIVE [posts=all] [rounds=3]
 */
import { signatureOf } from '../../src-main/core/similarity/signature';
import { readAndParseOneSync, type ReadOutcome } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { SIMILARITY_OFF_ENV } from '../../src-main/node/index/similar';
import { postFtsText } from '../../src-main/node/index/write';

const [root, postsArg, roundsArg = '3'] = process.argv.slice(2);
if (!root) {
  console.error('usage: signature-cost.ts ARCHIVE [posts=all] [rounds=3]');
  process.exit(2);
}
const files = (await scanArchive(root)).files;
const chosen = postsArg && postsArg !== 'all' ? files.slice(0, Number(postsArg)) : files;
const posts = chosen.map(readAndParseOneSync).filter((o): o is Extract<ReadOutcome, { kind: 'post' }> => o.kind === 'post').map((o) => o.post);

const cpuMs = (run: () => void): number => {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};
const perPost = (ms: number): number => Math.round((ms / posts.length) * 1000) / 1000;
for (let round = 1; round <= Number(roundsArg); round++) {
  let signed = 0;
  const signature = cpuMs(() => {
    for (const post of posts) if (signatureOf(post.text)) signed++;
  });
  process.env[SIMILARITY_OFF_ENV] = '1';
  const rest = cpuMs(() => {
    for (const post of posts) postFtsText(post);
  });
  delete process.env[SIMILARITY_OFF_ENV];
  console.log(JSON.stringify({ round, posts: posts.length, signed, signatureMsAPost: perPost(signature), tokensAndTextMsAPost: perPost(rest) }));
}
