import { Text, View } from '@tarojs/components';
import type { ExportFormat, LedgerExportLink, LedgerExportQuery } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../components/Button';
import { deskApi } from '../../../services/desk';
import { errorText } from '../../../services/request';
import { consentGiven } from '../../../stores/privacy';
import { deliverExport, expiryText, exportUrl, type Delivery } from '../export';
import { pressable } from '../../../utils/a11y';

interface Result {
  link: LedgerExportLink;
  format: ExportFormat;
  delivery: Delivery;
}

const FORMAT_NAMES: Record<ExportFormat, string> = { xlsx: 'Excel', csv: 'CSV' };

function resultText(r: Result): string {
  const until = expiryText(r.link.expiresAt);
  const valid = until ? `（${until}前有效）` : '';
  if (r.delivery === 'opened') return `已打开${r.link.fileName}，可点右上角“…”转发或保存。`;
  if (r.delivery === 'copied') {
    return r.format === 'csv'
      ? `微信里不能直接打开 CSV，下载链接已复制，请粘贴到手机或电脑浏览器中打开下载${valid}。`
      : `没能在微信里打开文件，下载链接已复制，请粘贴到浏览器中打开下载${valid}。`;
  }
  return `已开始下载${r.link.fileName}。如果没有自动下载，请点下面的链接${valid}：`;
}

/** Exports the ledger as the filters show it: one tap gets a short-lived link and hands the file over. */
export default function ExportPanel({ query }: { query: LedgerExportQuery }) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (format: ExportFormat) => {
    // The file holds people's details and may be copied to the clipboard: only after the privacy notice is agreed to.
    if (!consentGiven()) return;
    setBusy(format);
    setError(null);
    setResult(null);
    try {
      const link = await deskApi.exportLink({ format, ...query });
      const delivery = await deliverExport(link, format);
      setResult({ link, format, delivery });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <View className="xy-card xy-export">
      <View className="xy-h2">导出台账</View>
      <View className="xy-muted xy-desk-intro">按当前筛选条件导出；Excel 文件另有“三率”工作表。</View>
      <View className="xy-export__buttons">
        <Button loading={busy === 'xlsx'} disabled={!!busy && busy !== 'xlsx'} onClick={() => void run('xlsx')} className="xy-export__xlsx">
          导出 Excel
        </Button>
        <Button kind="secondary" loading={busy === 'csv'} disabled={!!busy && busy !== 'csv'} onClick={() => void run('csv')} className="xy-export__csv">
          导出 CSV
        </Button>
      </View>
      {error ? (
        <View className="xy-error-text xy-desk-form" role="alert">
          {error}
        </View>
      ) : null}
      {result ? (
        <View className="xy-export__result" role="status" data-format={result.format} data-delivery={result.delivery}>
          <Text>
            {FORMAT_NAMES[result.format]}：{resultText(result)}
          </Text>
          {result.delivery !== 'opened' ? (
            <Text className="xy-export__link" data-url={exportUrl(result.link)} data-file-name={result.link.fileName} {...pressable(() => void deliverExport(result.link, result.format), 'link')}>
              {exportUrl(result.link)}
            </Text>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
