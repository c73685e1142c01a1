// npm run kb -- add FILE… | list | remove ID
// npm run kb --prefix cloudflare -- … --local|--remote (the Workers' D1, db-target.ts)
// The knowledge base behind policy Q&A. Adding a changed file replaces its old version in one
// atomic write; a file that cannot be read is refused and the knowledge base stays as it was.
import { resolve } from 'node:path';
import { IngestError } from '../../handlers/qa/ingest';
import { allDocuments, removeDocument } from '../../storage/kb';
import { ensureDefaultCorpus } from './corpus';
import { D1_USAGE, D1CommandError, databaseArgs } from './db-target';
import { addDocumentFile } from './documents';
import { command, runCli, usage } from './run';

const USAGE = '用法：npm run kb -- add 文件…（.txt .md .docx .pdf）| list | remove 文档ID或文件名';

export const main = command(
  async (argv, io) => {
    const target = databaseArgs(argv);
    if (!target) return usage(io, `${D1_USAGE}\n${USAGE}`);
    const [verb, ...args] = target.args;
    if (!verb || !['add', 'list', 'remove'].includes(verb)) {
      return usage(io, USAGE);
    }
    const { db, close } = await target.open(io);
    try {
      await ensureDefaultCorpus(db);
      if (verb === 'list') {
        for (const d of await allDocuments(db)) {
          io.print(
            `${d.id}\t${d.source}\t《${d.title}》\t${d.issuer}\t${d.docNo ?? '无文号'}\t${d.date ?? ''}\t${d.passages} 段`,
          );
        }
        return 0;
      }
      if (verb === 'remove') {
        const [doc] = args;
        if (!doc) {
          return usage(io, USAGE);
        }
        const removed = await removeDocument(db, doc);
        if (!removed) {
          io.warn(`知识库里没有“${doc}”。用 npm run kb -- list 查看文档 ID。`);
          return 1;
        }
        io.print(`已删除《${removed.title}》（${removed.source}）`);
        return 0;
      }
      if (args.length === 0) {
        return usage(io, USAGE);
      }
      let failed = 0;
      for (const file of args) {
        try {
          const r = await addDocumentFile(db, resolve(io.cwd, file), Date.now());
          const verb = { added: '已加入', replaced: '已更新', unchanged: '未变化' }[r.status];
          io.print(`${verb}：《${r.title}》（${r.passages} 段，ID ${r.id}）`);
        } catch (err) {
          if (!(err instanceof IngestError)) throw err;
          io.warn(`未加入：${err.message}`);
          failed++;
        }
      }
      return failed > 0 ? 1 : 0;
    } finally {
      await close();
    }
  },
  [D1CommandError],
);

runCli(import.meta.url, main);
