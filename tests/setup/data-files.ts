// What an operator who copies a database's data directory can read (the ballot-secrecy attack tests and the failover
// proof's relink round, decision 017): the files themselves, and markers found in their raw bytes.
import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir` whose path relative to it passes `keep`, sorted; what cannot be read is skipped. */
export function dataFiles(dir: string, keep: (rel: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(d, n);
      let st: Stats;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && keep(path.relative(dir, p))) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Every match of `marker` (a /g pattern) in the files' bytes, in file-then-byte order. */
export function matchesIn(paths: string[], marker: RegExp): RegExpMatchArray[] {
  const found: RegExpMatchArray[] = [];
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p).toString('latin1');
    } catch {
      continue;
    }
    found.push(...text.matchAll(marker));
  }
  return found;
}
