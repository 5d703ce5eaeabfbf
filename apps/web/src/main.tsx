import './i18n';
import './styles.css';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { ApiError } from './api';
import { App } from './App';
import { Router } from './router';
import { SessionProvider } from './session';

// Server state: cached briefly, retried on a dropped connection or a 5xx, never on a refusal.
const queries = new QueryClient({
  defaultOptions: {
    // Without signal a query still runs: the API client answers from what the device keeps (offline.ts).
    queries: {
      networkMode: 'always',
      staleTime: 10_000,
      retry: (failures, error) => failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
    },
    mutations: { networkMode: 'always' },
  },
});

// The app shell for working without signal (served by the API under /app/, built by `vite build`; not on
// Vite's dev server, which has hot reload instead: NODE_ENV may say "test" in a build, so PROD cannot tell).
if ('serviceWorker' in navigator && !import.meta.hot)
  void navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <Router>
        <SessionProvider>
          <App />
        </SessionProvider>
      </Router>
    </QueryClientProvider>
  </StrictMode>,
);
