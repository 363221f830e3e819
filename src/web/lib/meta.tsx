import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { metaApi } from '../api/meta';
import type { Meta, Option } from '../api/types';
import { LEVELS, ORG_KINDS, SECTORS } from '../../domain/org-taxonomy';
import { ROLES } from '../../domain/roles';

// The same lists the server's /api/meta returns, so labels render before (or without) the request.
const FALLBACK: Meta = {
  kinds: ORG_KINDS.map(({ code, label }) => ({ code, label })),
  sectors: SECTORS.map(({ code, label }) => ({ code, label })),
  levels: LEVELS.map(({ code, label }) => ({ code, label })),
  roles: Object.entries(ROLES).map(([code, label]) => ({ code, label })),
};

export interface MetaValue extends Meta {
  kindLabel: (code: string) => string;
  sectorLabel: (code: string) => string;
  levelLabel: (code: string) => string;
  roleLabel: (code: string) => string;
}

const labeller = (list: Option[]) => {
  const map = new Map(list.map((o) => [o.code, o.label]));
  return (code: string) => map.get(code) ?? code;
};

function build(meta: Meta): MetaValue {
  return {
    ...meta,
    kindLabel: labeller(meta.kinds),
    sectorLabel: labeller(meta.sectors),
    levelLabel: labeller(meta.levels ?? FALLBACK.levels),
    roleLabel: labeller(meta.roles),
  };
}

const MetaContext = createContext<MetaValue>(build(FALLBACK));

export function MetaProvider({ children }: { children: ReactNode }) {
  const [meta, setMeta] = useState<Meta>(FALLBACK);
  useEffect(() => {
    let live = true;
    metaApi
      .get()
      .then((m) => {
        if (live) setMeta({ ...FALLBACK, ...m, levels: m.levels?.length ? m.levels : FALLBACK.levels });
      })
      .catch(() => {
        /* keep the built-in lists */
      });
    return () => {
      live = false;
    };
  }, []);
  const value = useMemo(() => build(meta), [meta]);
  return <MetaContext.Provider value={value}>{children}</MetaContext.Provider>;
}

export const useMeta = () => useContext(MetaContext);

export const toOptions = (list: Option[]) => list.map((o) => ({ value: o.code, label: o.label }));
