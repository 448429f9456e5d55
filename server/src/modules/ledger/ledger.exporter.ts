// The ledger as files a committee files: rows are read in keyset batches and
// written as they come, so memory does not grow with the ledger.
import { Injectable, StreamableFile } from '@nestjs/common';
import { PassThrough, Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import type { LedgerExportQueryDto } from './ledger.dto';
import { EXPORT_HEADERS, csvLine, exportCells, fundsSheetRows, ratesSheetRows } from './ledger.mapper';
import { LedgerService, exportFileName } from './ledger.service';
import { RatesAccumulator } from './rates';
import { localDayCompact } from '../../common/time';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@Injectable()
export class LedgerExporter {
  constructor(
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
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
      await wb.commit();
    };
    write().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
    return new StreamableFile(out, { type: XLSX_MIME });
  }
}
