/**
 * The login session: the token lives in memory and in sessionStorage (this tab), never in localStorage; a
 * sealed copy waits on the device (offline.ts) so that a tab the phone closed without signal comes back
 * logged in until the token expires. A 401 from any call ends the session and returns to the login page,
 * which then comes back to where the officer was; forms keep their drafts (see useDraft). Logging out
 * wipes the device (after a warning when steps have not been sent).
 */
import i18next from 'i18next';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';

import { call, configureApi } from './api';
import { counts, expire, openVault, restoreSession, saveSession, wipe } from './offline';
import { BASE, navigate } from './router';

export interface User {
  readonly id: string;
  readonly role: 'officer' | 'supervisor' | 'auditor' | 'admin';
  readonly scopes: readonly string[];
}

interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: User;
}

const KEY = 'jejak.session';
let memory: Session | null = (() => {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return stored && stored.expiresAt > new Date().toISOString() ? stored : null;
  } catch {
    return null;
  }
})();

interface SessionValue {
  readonly session: Session | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  end(expired: boolean): void;
}

const SessionContext = createContext<SessionValue>({
  session: null,
  login: async () => undefined,
  logout: async () => undefined,
  end: () => undefined,
});

/** Where to return after logging in again: the page the session ended on. */
const returnTo = (): string => {
  const path = window.location.pathname.slice(BASE.length) + window.location.search;
  return path.startsWith('/login') ? '/' : path || '/';
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(memory);
  // A tab opened again (the phone closed it, maybe without signal): the sealed session on the device.
  const [restoring, setRestoring] = useState(memory === null);
  useEffect(() => {
    if (!restoring) return;
    void restoreSession<Session>().then((kept) => {
      if (kept && !memory) {
        memory = kept;
        sessionStorage.setItem(KEY, JSON.stringify(kept));
        setSession(kept);
      }
      setRestoring(false);
    });
  }, [restoring]);
  const value = useMemo(() => {
    // An expired session returns to where it ended once its user logs in again; a deliberate logout does
    // not (the next user of the device may have another role, and another territory).
    const end = (expired: boolean) => {
      memory = null;
      sessionStorage.removeItem(KEY);
      // An expired session leaves no records on the device; its unsent steps wait for the same officer.
      if (expired) void expire();
      setSession(null);
      navigate(expired ? `/login?next=${encodeURIComponent(returnTo())}&expired=1` : '/login');
    };
    // A 401 on any call (the token expired or was ended by a password reset) ends the session.
    configureApi(
      () => memory?.token ?? null,
      () => {
        if (memory) end(true);
      },
    );
    return {
      session,
      end,
      login: async (username: string, password: string) => {
        const { data } = await call<{ token: string; expiresAt: string }>('/auth/login', { body: { username, password } });
        memory = { token: data.token, expiresAt: data.expiresAt, user: { id: username, role: 'officer', scopes: [] } };
        const me = await call<User>('/auth/me');
        memory = { ...memory, user: me.data };
        sessionStorage.setItem(KEY, JSON.stringify(memory));
        // The device's key is this officer's (another officer's key, queue and records are wiped first).
        await openVault(me.data.id).catch(() => undefined);
        await saveSession(memory).catch(() => undefined);
        setSession(memory);
      },
      logout: async () => {
        // Steps not yet sent are lost with the device's data: the officer says so first.
        const { pending } = await counts();
        if (pending > 0 && !window.confirm(i18next.t('offline.logoutWarning', { count: pending }))) return;
        // Logging out wipes every draft this tab kept and everything on the device: they may hold personal data.
        for (const key of Object.keys(sessionStorage)) if (key.startsWith('jejak.')) sessionStorage.removeItem(key);
        await wipe();
        end(false);
      },
    };
  }, [session]);
  // The token's own expiry ends the session too, even without a call.
  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    const timer = setTimeout(() => value.end(true), Math.max(0, Math.min(ms, 2_147_000_000)));
    return () => clearTimeout(timer);
  }, [session, value]);
  if (restoring) return null;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

/** The village (or wider area) an officer works in: the default area of what they register. */
export const homeArea = (user: User | undefined): string => {
  const scope = user?.scopes.find((s) => s.includes(':'));
  return scope ? scope.split(':')[1]! : '';
};
