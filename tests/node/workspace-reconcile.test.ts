import { describe, expect, it } from 'vitest';
import { reconcileMarks, type IndexView, type IndexedPost, type MarkedIdentity } from '../../src-main/node/workspace/reconcile';

function view(posts: IndexedPost[]): IndexView {
  return {
    byPath: (p) => posts.find((x) => x.path === p),
    byHash: (h) => posts.filter((x) => x.hash === h),
  };
}
const post = (path: string, hash: string, title = `T ${path}`): IndexedPost => ({ path, hash, title, date: '2020-01-01' });
const mark = (id: number, path: string, hash: string, missing = false, title = `T ${path}`): MarkedIdentity => ({ id, path, hash, title, date: '2020-01-01', missing });

describe('reconcileMarks', () => {
  it('leaves marks on unchanged posts alone', () => {
    expect(reconcileMarks([mark(1, 'a.md', 'h1')], view([post('a.md', 'h1')]))).toEqual([]);
  });

  it('follows a moved or renamed post (same content, new path)', () => {
    expect(reconcileMarks([mark(1, 'a.md', 'h1')], view([post('dir/b.md', 'h1', 'T a.md')]))).toEqual([mark(1, 'dir/b.md', 'h1', false, 'T a.md')]);
  });

  it('keeps the marks of a deleted post, missing, with the title they had', () => {
    expect(reconcileMarks([mark(1, 'a.md', 'h1', false, 'Old title')], view([post('x.md', 'h9')]))).toEqual([mark(1, 'a.md', 'h1', true, 'Old title')]);
  });

  it('reattaches missing marks when the same content comes back under any name', () => {
    expect(reconcileMarks([mark(1, 'a.md', 'h1', true)], view([post('c.md', 'h1', 'Back')]))).toEqual([mark(1, 'c.md', 'h1', false, 'Back')]);
  });

  it('keeps marks on the path of a post edited in place, taking its new hash and title', () => {
    expect(reconcileMarks([mark(1, 'a.md', 'h1')], view([post('a.md', 'h2', 'Edited')]))).toEqual([mark(1, 'a.md', 'h2', false, 'Edited')]);
  });

  it('never gives a post that already has marks the marks of another', () => {
    // b.md has its own marks and the content a.md had: a.md's marks go missing rather than pile onto b.md.
    const changes = reconcileMarks([mark(1, 'a.md', 'h1'), mark(2, 'b.md', 'h1')], view([post('b.md', 'h1')]));
    expect(changes).toEqual([mark(1, 'a.md', 'h1', true)]);
  });

  it('gives two marked copies of the same content each a copy', () => {
    const changes = reconcileMarks([mark(1, 'a.md', 'h1'), mark(2, 'b.md', 'h1')], view([post('x/a.md', 'h1'), post('x/b.md', 'h1')]));
    expect(changes.map((c) => [c.id, c.path, c.missing])).toEqual([[1, 'x/a.md', false], [2, 'x/b.md', false]]);
  });

  it('moves several marks in one update', () => {
    const changes = reconcileMarks([mark(1, 'a.md', 'h1'), mark(2, 'b.md', 'h2')], view([post('b2.md', 'h1'), post('c.md', 'h2')]));
    expect(changes.map((c) => [c.id, c.path])).toEqual([[1, 'b2.md'], [2, 'c.md']]);
  });

  it('reattaches a missing mark when its file comes back at the same path with edited content', () => {
    expect(reconcileMarks([mark(1, 'a.md', 'h1', true, 'Old')], view([post('a.md', 'h2', 'Edited')]))).toEqual([mark(1, 'a.md', 'h2', false, 'Edited')]);
  });

  it('leaves a missing mark missing when its old path is held by another mark, or its content came back elsewhere', () => {
    // b.md's own marks moved onto a.md's old path: a.md's missing marks do not pile onto them.
    expect(reconcileMarks([mark(1, 'a.md', 'h1', true), mark(2, 'b.md', 'h2')], view([post('a.md', 'h2')]))).toEqual([mark(2, 'a.md', 'h2')]);
    // The same content elsewhere wins over a different file at the old path.
    expect(reconcileMarks([mark(1, 'a.md', 'h1', true)], view([post('a.md', 'h9'), post('moved.md', 'h1')])).map((c) => [c.path, c.hash, c.missing])).toEqual([['moved.md', 'h1', false]]);
  });
});
