export * from './analyze';
export * from './evaluate';
export {
  NEAR_DUP_JACCARD,
  SUSPICIOUS_COPIES,
  SUSPICIOUS_MIN_CHARS,
  isSuspiciousCopy,
  nearDuplicateGroups,
} from './near-dup';
export { PARTY_TERMS, STOP_WORDS, TAG_RULES } from './lexicon';
export { bigramSegment, contentWords, copyKey, isNoProblem, keywordTags, normalize, type Segment } from './text';
