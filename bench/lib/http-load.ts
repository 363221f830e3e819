// Keep-alive HTTP load from a worker thread, shared by bench/ballots.bench.ts and the scale-out
// proof): `clients` concurrent node:http connections, each sending its next request when the previous answered,
// so parsing responses does not share the server's event loop and each request is one round trip.
import os from 'node:os';
import { Worker } from 'node:worker_threads';

const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { host, port, clients } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
const send = (path, body) => new Promise((resolve) => {
  const t = process.hrtime.bigint();
  const req = http.request({ host, port, path, method: 'POST', agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.on('data', () => {});
    res.on('end', () => resolve([res.statusCode, Number(process.hrtime.bigint() - t) / 1e6]));
  });
  req.on('error', () => resolve([0, Number(process.hrtime.bigint() - t) / 1e6]));
  req.end(body);
});
parentPort.on('message', async ({ path, bodies }) => {
  const lat = new Float64Array(bodies.length), status = new Uint16Array(bodies.length);
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(clients, bodies.length) }, async () => {
    for (let i = next++; i < bodies.length; i = next++) [status[i], lat[i]] = await send(path, bodies[i]);
  }));
  parentPort.postMessage({ totalMs: Number(process.hrtime.bigint() - t0) / 1e6, lat, status });
});`;

export interface Phase {
  /** Requests answered 200. */
  ok: number;
  n: number;
  perSec: number;
  p99: number;
  statuses: Map<number, number>;
  lat: Float64Array;
  /** Per request, in the order of the bodies (0: no response). */
  status: Uint16Array;
}

export const p99 = (xs: ArrayLike<number>) => {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)]!;
};

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Non-200 answers as "n×status", or "none". */
export const otherStatuses = (p: Phase) =>
  [...p.statuses]
    .filter(([s]) => s !== 200)
    .map(([s, n]) => `${n}×${s}`)
    .join(' ') || 'none';

/** A load client for one target; `run` POSTs every body (JSON) to the path with `clients` connections at once. */
export function startLoadClient(port: number, clients: number, host = '127.0.0.1') {
  const worker = new Worker(CLIENT_SOURCE, { eval: true, workerData: { host, port, clients } });
  const run = (urlPath: string, bodies: unknown[]) =>
    new Promise<Phase>((resolve, reject) => {
      worker.once(
        'message',
        ({ totalMs, lat, status }: { totalMs: number; lat: Float64Array; status: Uint16Array }) => {
          const statuses = new Map<number, number>();
          for (const s of status) statuses.set(s, (statuses.get(s) ?? 0) + 1);
          const ok = statuses.get(200) ?? 0;
          resolve({ ok, n: bodies.length, perSec: (ok / totalMs) * 1000, p99: p99(lat), statuses, lat, status });
        },
      );
      worker.once('error', reject);
      worker.postMessage({ path: urlPath, bodies: bodies.map((b) => JSON.stringify(b)) });
    });
  return { run, stop: () => worker.terminate() };
}
