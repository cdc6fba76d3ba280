import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
const root = process.argv[2]!;
const list: string[] = [];
const walk = (dir: string) => { for (const d of fs.readdirSync(dir, { withFileTypes: true })) { const abs = path.join(dir, d.name); if (d.isDirectory()) walk(abs); else list.push(abs); } };
walk(root);
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  for (const f of list) fs.statSync(f);
  const a = performance.now() - t;
  t = performance.now();
  for (let j = 0; j < list.length; j += 512) await Promise.all(list.slice(j, j + 512).map((f) => fsp.stat(f)));
  const b = performance.now() - t;
  t = performance.now();
  await Promise.all(list.map((f) => new Promise((res) => fs.stat(f, res))));
  const c = performance.now() - t;
  console.log('sync', Math.round(a), 'promise x512', Math.round(b), 'callback all', Math.round(c), list.length);
}
