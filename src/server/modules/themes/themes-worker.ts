// Worker-thread entry of the comment-themes job (job.ts, uploads/worker.ts): a county's 30,000 texts take seconds of
// CPU, which must not stall the request loop.
import { randomInt } from 'node:crypto';
import { serveWorker } from '../../uploads/worker';
import { computeThemes, type ThemeInput } from './compute';

await serveWorker(async (input: ThemeInput) => computeThemes(input, () => randomInt(0, 2 ** 32) / 2 ** 32));
