// Worker-thread entry of the .docx download of a long report (download-report.ts, uploads/worker.ts).
import { serveWorker } from '../../uploads/worker';
import { buildReportDocx, type ReportDocxInput } from './report-docx';

await serveWorker(async (input: ReportDocxInput) => buildReportDocx(input));
