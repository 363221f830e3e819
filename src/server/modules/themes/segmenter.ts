import { createRequire } from 'node:module';
import { PARTY_TERMS } from '../../../domain/comment-themes';
import type { Segment } from '../../../domain/comment-themes';

/**
 * Chinese word segmentation: jieba (@node-rs/jieba, native with its dictionary inside the npm package — nothing is
 * downloaded) plus the party-building terms of the domain's lexicon, loaded as a user dictionary with a frequency
 * high enough that 三会一课 stays one word instead of 三/会/一/课. Built once per process (the dictionary takes
 * ~0.3 s to load).
 */
const require = createRequire(import.meta.url);
let jieba: { cut(text: string, hmm?: boolean): string[] } | null = null;

function instance() {
  if (!jieba) {
    const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict') as typeof import('@node-rs/jieba/dict');
    const j = Jieba.withDict(dict);
    j.loadDict(Buffer.from(PARTY_TERMS.map((t) => `${t.replace(/\s/g, '')} 200000 n`).join('\n')));
    jieba = j;
  }
  return jieba;
}

/** HMM off: new words are guessed from single characters otherwise, which splits the same phrase differently by context. */
export const jiebaSegment: Segment = (text) => instance().cut(text, false);
