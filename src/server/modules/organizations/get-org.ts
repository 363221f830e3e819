import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertRead } from './policy';
import { ancestorsOf, currentSecretary, membersOf, orgNodeById, secretaryHistory } from './repo';
import { readTogether } from '../../db/parallel';

export async function getOrgDetail(db: DbOrTx, user: AuthUser, id: number) {
  const org = await orgNodeById(db, id, user);
  assertRead(user, org.path);
  const [ancestors, secretary, history, members] = await readTogether(db, [
    () => ancestorsOf(db, org.path),
    () => currentSecretary(db, id),
    () => secretaryHistory(db, id),
    () => membersOf(db, id),
  ] as const);
  return { org, ancestors, secretary, secretaryHistory: history, members };
}
