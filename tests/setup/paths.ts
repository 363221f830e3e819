import path from 'node:path';

export const TEMPLATE_DIR = path.resolve('.tmp');
export const PGLITE_TEMPLATE = path.join(TEMPLATE_DIR, 'pglite-template.tar.gz');
export const PG_TEMPLATE_DB = 'shuping_test_template';
