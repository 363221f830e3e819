// Worker-thread entry of the .docx import (docx-import.ts, uploads/worker.ts): counts, then parses one file.
import type { SectionSpec } from '../../../domain/report-checks';
import { serveWorker } from '../../uploads/worker';
import { FAR_OVER_LIMIT, farOverLimit, parseReportDocx, precountDocx } from './docx-import';

await serveWorker(async (input: { file: Uint8Array; specs: SectionSpec[]; charLimit: number | null }) => {
  const file = Buffer.from(input.file.buffer, input.file.byteOffset, input.file.byteLength);
  if (input.charLimit !== null) {
    const count = await precountDocx(file);
    if (count !== null && count > FAR_OVER_LIMIT * input.charLimit) throw farOverLimit(count, input.charLimit);
  }
  return parseReportDocx(file, input.specs);
});
