// The knowledge base in the database: documents, passages, quoted terms and the FTS5 index.
// A document is replaced in one atomic write, so the old version answers until the new one is in.
import { and, between, count, eq, max, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { type AppDb, atomic, newId, underParamLimit, type WriteQuery } from './db';
import { kbDocuments, kbPassages, kbTerms } from './schema';

/** The FTS5 table of migration 0002 (a virtual table, so not in schema.ts, which drizzle-kit owns). */
export const kbFts = sqliteTable('kb_fts', {
  doc: text('doc').notNull(),
  ord: integer('ord').notNull(),
  words: text('words').notNull(),
  grams: text('grams').notNull(),
  head: text('head').notNull(),
});

export type KbDocument = typeof kbDocuments.$inferSelect;
export type KbPassage = typeof kbPassages.$inferSelect;

export interface IndexedPassage {
  ord: number;
  kind: 'text' | 'row' | 'form';
  section: string;
  headings: string[];
  text: string;
  words: string;
  grams: string;
  head: string;
}

export interface NewDocument {
  source: string;
  sha256: string;
  title: string;
  issuer: string;
  docNo: string | null;
  date: string | null;
  passages: IndexedPassage[];
  terms: string[];
}

export async function documentBySource(db: AppDb, source: string): Promise<KbDocument | undefined> {
  const [row] = await db.select().from(kbDocuments).where(eq(kbDocuments.source, source));
  return row;
}

export async function allDocuments(db: AppDb): Promise<KbDocument[]> {
  return db.select().from(kbDocuments).orderBy(kbDocuments.source);
}

function removeQueries(db: AppDb, docId: string): WriteQuery[] {
  return [
    db.delete(kbFts).where(eq(kbFts.doc, docId)),
    db.delete(kbTerms).where(eq(kbTerms.docId, docId)),
    db.delete(kbPassages).where(eq(kbPassages.docId, docId)),
    db.delete(kbDocuments).where(eq(kbDocuments.id, docId)),
  ];
}

/**
 * Adds a document, or replaces the one from the same source file. Returns `unchanged` when the
 * same content is there already.
 */
export async function putDocument(
  db: AppDb,
  doc: NewDocument,
  now: number,
): Promise<{ status: 'added' | 'replaced' | 'unchanged'; id: string }> {
  const old = await documentBySource(db, doc.source);
  if (old && old.sha256 === doc.sha256) return { status: 'unchanged', id: old.id };
  const id = newId('d');
  const writes: WriteQuery[] = old ? removeQueries(db, old.id) : [];
  writes.push(
    db.insert(kbDocuments).values({
      id,
      source: doc.source,
      title: doc.title,
      issuer: doc.issuer,
      docNo: doc.docNo,
      date: doc.date,
      sha256: doc.sha256,
      passages: doc.passages.length,
      addedAt: now,
    }),
  );
  writes.push(
    ...underParamLimit(doc.passages, (rows) =>
      db.insert(kbPassages).values(
        rows.map((p) => ({
          docId: id,
          ord: p.ord,
          kind: p.kind,
          section: p.section,
          headings: p.headings,
          text: p.text,
        })),
      ),
    ),
    ...underParamLimit(doc.passages, (rows) =>
      db.insert(kbFts).values(rows.map((p) => ({ doc: id, ord: p.ord, words: p.words, grams: p.grams, head: p.head }))),
    ),
    ...underParamLimit([...new Set(doc.terms)], (rows) =>
      db.insert(kbTerms).values(rows.map((term) => ({ term, docId: id }))),
    ),
  );
  await atomic(db, writes);
  return { status: old ? 'replaced' : 'added', id };
}

export async function removeDocument(db: AppDb, idOrSource: string): Promise<KbDocument | undefined> {
  const [doc] = await db
    .select()
    .from(kbDocuments)
    .where(sql`${kbDocuments.id} = ${idOrSource} or ${kbDocuments.source} = ${idOrSource}`);
  if (!doc) return undefined;
  await atomic(db, removeQueries(db, doc.id));
  return doc;
}

/** Changes whenever a document is added, replaced or removed: a cache key for derived data. */
export async function kbVersion(db: AppDb): Promise<string> {
  const [row] = await db.select({ n: count(), last: max(kbDocuments.addedAt) }).from(kbDocuments);
  return `${row?.n ?? 0}:${row?.last ?? 0}`;
}

export async function allTerms(db: AppDb): Promise<string[]> {
  const rows = await db.selectDistinct({ term: kbTerms.term }).from(kbTerms);
  return rows.map((r) => r.term);
}

export interface FtsHit {
  doc: string;
  ord: number;
  score: number;
}

/**
 * BM25 over the index; `match` is an FTS5 query. Lower scores are better (FTS5's convention).
 * Scoring visits every matching row: the query's terms are chosen to keep that bounded
 * (handlers/qa/retrieve.ts#matchExpression).
 */
export async function ftsSearch(db: AppDb, match: string, limit: number): Promise<FtsHit[]> {
  return db.all<FtsHit>(sql`
    select doc, ord, bm25(kb_fts, 0, 0, 1.0, 0.35, 0.6) as score
    from kb_fts where kb_fts match ${match} order by score limit ${limit}`);
}

/** As ftsSearch, within these documents only (the documents' ids go as one JSON parameter). */
export async function ftsSearchIn(db: AppDb, match: string, docs: string[], limit: number): Promise<FtsHit[]> {
  if (docs.length === 0) return [];
  return db.all<FtsHit>(sql`
    select doc, ord, bm25(kb_fts, 0, 0, 1.0, 0.35, 0.6) as score
    from kb_fts where kb_fts match ${match} and doc in (select value from json_each(${JSON.stringify(docs)}))
    order by score limit ${limit}`);
}

/** The passages at these keys; the keys go as one JSON parameter, so any number stays under D1's limit. */
export async function passagesAt(db: AppDb, keys: { doc: string; ord: number }[]): Promise<KbPassage[]> {
  if (keys.length === 0) return [];
  const pairs = JSON.stringify(keys.map((k) => [k.doc, k.ord]));
  return db
    .select()
    .from(kbPassages)
    .where(sql`(${kbPassages.docId}, ${kbPassages.ord}) in (select value ->> 0, value ->> 1 from json_each(${pairs}))`);
}

export async function passage(db: AppDb, docId: string, ord: number): Promise<KbPassage | undefined> {
  const [row] = await db
    .select()
    .from(kbPassages)
    .where(and(eq(kbPassages.docId, docId), eq(kbPassages.ord, ord)));
  return row;
}

/** The passages around one, in document order: where its siblings and children stand. */
export async function passagesNear(db: AppDb, docId: string, ord: number, span: number): Promise<KbPassage[]> {
  return db
    .select()
    .from(kbPassages)
    .where(and(eq(kbPassages.docId, docId), between(kbPassages.ord, ord - span, ord + span)))
    .orderBy(kbPassages.ord);
}

/** All of one document's passages, in order (a document is some tens of passages). */
export async function passagesOf(db: AppDb, docId: string): Promise<KbPassage[]> {
  return db.select().from(kbPassages).where(eq(kbPassages.docId, docId)).orderBy(kbPassages.ord);
}

/** Passages holding `needle` word for word: in one document (by its key, quick), or in all (a scan). */
export async function passagesContaining(
  db: AppDb,
  needle: string,
  limit: number,
  docId?: string,
): Promise<KbPassage[]> {
  return db
    .select()
    .from(kbPassages)
    .where(and(docId ? eq(kbPassages.docId, docId) : undefined, sql`instr(${kbPassages.text}, ${needle}) > 0`))
    .orderBy(kbPassages.docId, kbPassages.ord)
    .limit(limit);
}

/** The first passage of each section of a document whose title starts with `prefix` (附件), in order. */
export async function sectionStarts(db: AppDb, docId: string, prefix: string): Promise<KbPassage[]> {
  const firsts = await db.all<{ ord: number }>(sql`
    select min(ord) as ord from kb_passages
    where doc_id = ${docId} and substr(section, 1, ${prefix.length}) = ${prefix}
    group by section`);
  const rows = await passagesAt(
    db,
    firsts.map((f) => ({ doc: docId, ord: f.ord })),
  );
  return rows.sort((a, b) => a.ord - b.ord);
}
