/**
 * Issue 8 access matrix, part 3 of 3 (routes split in registration order; data in access-matrix-allow.ts,
 * what the run proves in access-matrix-world.ts). Summary table printed; docs/operations.md "## Access matrix".
 * The suite itself is in access-matrix-part.ts; the parts are separate files so vitest runs them in parallel.
 */
import { describeMatrixPart } from './access-matrix-part';

describeMatrixPart(3);
