import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout } from './components';
import { ListPage } from './lists';
import { CaseNew } from './pages/CaseNew';
import { CasePage } from './pages/CasePage';
import { Login } from './pages/Login';
import { PlacementNew, PlacementPage } from './pages/Placement';
import { PreventionNew, PreventionPage } from './pages/Prevention';
import { PersonPage, PersonSearch } from './pages/People';
import { Worklist } from './pages/Worklist';
import { match, navigate, useLocation } from './router';
import { useSession } from './session';

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return null;
}

function Page() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { pathname, query } = useLocation();
  if (pathname === '/login') return <Login />;
  if (!session) return <Redirect to={`/login?next=${encodeURIComponent(pathname)}`} />;
  if (pathname === '/') return <Worklist />;
  if (pathname === '/cases' || pathname === '/placements' || pathname === '/preventions') return <ListPage kind={pathname.slice(1) as 'cases' | 'placements' | 'preventions'} query={query} />;
  if (pathname === '/people') return <PersonSearch />;
  const personId = match('/people/:id', pathname)?.id;
  if (personId) return <PersonPage key={personId} id={personId} />;
  if (pathname === '/cases/new') return <CaseNew />;
  const caseId = match('/cases/:id', pathname)?.id;
  if (caseId) return <CasePage key={caseId} id={caseId} />;
  if (pathname === '/placements/new') return <PlacementNew />;
  const placementId = match('/placements/:id', pathname)?.id;
  if (placementId) return <PlacementPage key={placementId} id={placementId} />;
  if (pathname === '/preventions/new') return <PreventionNew />;
  const preventionId = match('/preventions/:id', pathname)?.id;
  if (preventionId) return <PreventionPage key={preventionId} id={preventionId} />;
  return <p>{t('app.notFound')}</p>;
}

export function App() {
  return (
    <Layout>
      <Page />
    </Layout>
  );
}
