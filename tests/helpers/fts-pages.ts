import Database from 'better-sqlite3';

/**
 * Where an FTS5 table's records lie in the SQLite file, found from the file's own structures (no byte search, no
 * layout luck): which b-tree pages a term lookup must read, whatever the page size or the segments' layout.
 *
 * FTS5 keeps its index as records of `<table>_data` (rowid = segment id << 37 | leaf page number) and, in
 * `<table>_idx`, the first term of each leaf page (a term key is '0' + the token for the main index; the stored
 * page number is shifted left by one, its low bit flagging a doclist index). A lookup of token T in segment S reads
 * the leaf with the greatest first term <= '0'+T. The SQLite page that holds a record is found by its rank among
 * the table's rowids and dbstat's leaf pages in key order (each with its cell count).
 */

/** Rowid of leaf page `pgno` of segment `segid` in `<table>_data` (FTS5's fts5_dri with no dlidx, height 0). */
const leafRowid = (segid: number, pgno: number): bigint => (BigInt(segid) << 37n) + BigInt(pgno);

/** The SQLite pages (1-based) of the leaf records that lookups of `tokens` read, one per segment holding each token. */
export function pagesReadForTokens(file: string, table: string, tokens: string[]): Map<string, number[]> {
  const db = new Database(file, { readonly: true });
  db.defaultSafeIntegers(true);
  try {
    const data = `${table}_data`;
    // Leaf pages of the data table's b-tree, in key order, with their cell counts.
    const leaves = (db.prepare("SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path").all(data) as { pageno: bigint; ncell: bigint }[])
      .map((l) => ({ pageno: Number(l.pageno), ncell: Number(l.ncell) }));
    const pageOfRowid = (rowid: bigint): number => {
      const exists = db.prepare(`SELECT 1 FROM "${data}" WHERE id = ?`).get(rowid);
      if (!exists) throw new Error(`no record ${rowid} in ${data}`);
      let rank = Number(db.prepare(`SELECT count(*) FROM "${data}" WHERE id < ?`).pluck().get(rowid) as bigint);
      for (const leaf of leaves) {
        if (rank < leaf.ncell) return leaf.pageno;
        rank -= leaf.ncell;
      }
      throw new Error(`record ${rowid} beyond the leaves of ${data}`);
    };
    const segments = (db.prepare(`SELECT DISTINCT segid FROM "${table}_idx" ORDER BY segid`).pluck().all() as bigint[]).map(Number);
    const firstLeaf = db.prepare(`SELECT pgno FROM "${table}_idx" WHERE segid = ? AND term <= ? ORDER BY term DESC LIMIT 1`).pluck();
    const result = new Map<string, number[]>();
    for (const token of tokens) {
      const key = Buffer.concat([Buffer.from('0'), Buffer.from(token, 'utf8')]);
      const pages = new Set<number>();
      for (const segid of segments) {
        const pgno = firstLeaf.get(segid, key) as bigint | undefined;
        if (pgno === undefined) continue;
        pages.add(pageOfRowid(leafRowid(segid, Number(pgno >> 1n))));
      }
      result.set(token, [...pages].sort((a, b) => a - b));
    }
    return result;
  } finally {
    db.close();
  }
}

/** The SQLite pages of FTS5's own bookkeeping records (averages, id 1; structure, id 10), read on any use of the table. */
export function ftsBookkeepingPages(file: string, table: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    const data = `${table}_data`;
    const leaves = db.prepare("SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path").all(data) as { pageno: number; ncell: number }[];
    const pages = new Set<number>();
    for (const id of [1, 10]) {
      let rank = db.prepare(`SELECT count(*) FROM "${data}" WHERE id < ?`).pluck().get(id) as number;
      for (const leaf of leaves) {
        if (rank < leaf.ncell) {
          pages.add(leaf.pageno);
          break;
        }
        rank -= leaf.ncell;
      }
    }
    return [...pages];
  } finally {
    db.close();
  }
}
