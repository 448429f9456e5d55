// The ledger as files a committee files: rows are read in keyset batches and
// written as they come, so memory does not grow with the ledger.
import { Injectable, StreamableFile } from '@nestjs/common';
import { PassThrough, Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { LedgerDayDigest, LedgerScopeKind } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import type { LedgerExportQueryDto } from './ledger.dto';
import { EXPORT_HEADERS, csvLine, exportCells, fundsSheetRows, ratesSheetRows } from './ledger.mapper';
import { LedgerService, exportFileName } from './ledger.service';
import { RatesAccumulator } from './rates';
import { localDayCompact } from '../../common/time';
import { LedgerChainService } from './ledger-chain.service';

const SCOPE_NAMES: Record<LedgerScopeKind, string> = { community: '社区', street: '街道', district: '区县', city: '市' };

/** The 台账校验码 sheet: one row per organisation and Beijing day, and how to check a printed one. */
export function digestSheetRows(digests: LedgerDayDigest[]): (string | number | null)[][] {
  return [
    ['台账校验码：当日该机构全部心愿事件（按编号顺序）哈希链的摘要（SHA-256）。打印后可随时核对：cli.js ledger verify --org <机构ID> --day <日期> --digest <校验码> --up-to <截至事件>，或 GET /api/ledger/verify。'],
    ['日期', '范围', '机构ID', '事件数', '截至事件', '台账校验码', '链校验'],
    ...digests.map((d) => [d.day, SCOPE_NAMES[d.scope], d.orgId, d.events, d.lastEventId, d.digest, d.chainsOk ? '通过' : '断裂（请运行 ledger verify）']),
  ];
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@Injectable()
export class LedgerExporter {
  constructor(
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly chain: LedgerChainService,
  ) {}

  private fileName(ext: string): string {
    const now = this.clock.now();
    const day = localDayCompact(now);
    return `attachment; filename="ledger-${day}.${ext}"; filename*=UTF-8''${encodeURIComponent(exportFileName(now, ext))}`;
  }

  async csv(actor: Actor, q: LedgerExportQueryDto, reply: FastifyReply): Promise<StreamableFile> {
    const batches = await this.ledger.exportBatches(actor, q, 'csv');
    reply.header('content-disposition', this.fileName('csv'));
    const body = Readable.from(
      (async function* () {
        // The BOM makes Excel read the file as UTF-8.
        yield Buffer.from('\uFEFF' + csvLine([...EXPORT_HEADERS]), 'utf8');
        for await (const items of batches) yield Buffer.from(items.map((i) => csvLine(exportCells(i))).join(''), 'utf8');
      })(),
    );
    return new StreamableFile(body, { type: 'text/csv; charset=utf-8' });
  }

  async xlsx(actor: Actor, q: LedgerExportQueryDto, reply: FastifyReply): Promise<StreamableFile> {
    const tally = new RatesAccumulator();
    const batches = await this.ledger.exportBatches(actor, q, 'xlsx', tally);
    reply.header('content-disposition', this.fileName('xlsx'));
    const out = new PassThrough();
    const write = async () => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
      const sheet = wb.addWorksheet('台账');
      sheet.addRow([...EXPORT_HEADERS]).commit();
      for await (const items of batches) for (const i of items) sheet.addRow(exportCells(i)).commit();
      sheet.commit();
      // Rates of the exported wishes that were published (counted while the rows stream).
      const rates = wb.addWorksheet('三率');
      for (const row of ratesSheetRows(tally.summary())) rates.addRow(row).commit();
      rates.commit();
      // Budget, spent and remaining of the communities exported, per year.
      const funds = wb.addWorksheet('经费');
      for (const row of fundsSheetRows(await this.ledger.exportFunds(actor, q))) funds.addRow(row).commit();
      funds.commit();
      // The day digests (台账校验码) of the organisations exported: what a printed ledger is checked against later.
      const codes = wb.addWorksheet('台账校验码');
      for (const row of digestSheetRows(await this.chain.exportDigests(actor, q))) codes.addRow(row).commit();
      codes.commit();
      await wb.commit();
    };
    write().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
    return new StreamableFile(out, { type: XLSX_MIME });
  }
}
