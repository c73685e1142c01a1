-- Full-text index of the knowledge base (FTS5, in better-sqlite3 and in D1). Drizzle cannot
-- declare virtual tables, so this migration is written by hand. Terms are produced in
-- TypeScript and stored space-separated: `words` (ICU words and quoted terms), `grams`
-- (character bigrams) and `head` (document name and heading path).
CREATE VIRTUAL TABLE `kb_fts` USING fts5(
  `doc` UNINDEXED,
  `ord` UNINDEXED,
  `words`,
  `grams`,
  `head`,
  tokenize = 'unicode61 remove_diacritics 0'
);
