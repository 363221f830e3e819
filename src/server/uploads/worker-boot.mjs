// Starts a worker thread on a TypeScript entry (src/server/uploads/worker.ts): the app runs under tsx
// (`node --import tsx`), whose loader a worker does not inherit, so the worker registers it itself.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
