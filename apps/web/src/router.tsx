/**
 * A router of a dozen routes under /app/: the History API and one context, instead of a routing library
 * (smaller initial JavaScript for phones on slow data; see the README's design section).
 */
import { type AnchorHTMLAttributes, createContext, type ReactNode, useContext, useEffect, useState } from 'react';

export const BASE = '/app';

const RouteContext = createContext<{ path: string; navigate: (to: string) => void }>({ path: '/', navigate: () => undefined });

const current = (): string => {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return (path || '/') + window.location.search;
};

export function navigate(to: string): void {
  window.history.pushState(null, '', BASE + to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function Router({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(current);
  useEffect(() => {
    const update = () => {
      setPath(current());
      window.scrollTo(0, 0);
    };
    window.addEventListener('popstate', update);
    // A child's effect may have navigated before this listener was there (effects run children first).
    setPath(current());
    return () => window.removeEventListener('popstate', update);
  }, []);
  return <RouteContext.Provider value={{ path, navigate }}>{children}</RouteContext.Provider>;
}

export const useRoute = () => useContext(RouteContext);

/** The path without its query, and the query's parameters. */
export function useLocation(): { pathname: string; query: URLSearchParams } {
  const { path } = useRoute();
  const [pathname, search = ''] = path.split('?');
  return { pathname: pathname!, query: new URLSearchParams(search) };
}

/** Matches `/cases/:id` style patterns; the parameters, or null. */
export function match(pattern: string, pathname: string): Record<string, string> | null {
  const a = pattern.split('/');
  const b = pathname.split('/');
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a
      href={BASE + to}
      {...rest}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
