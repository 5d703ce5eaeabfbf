import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout } from './components';
import { CaseNew } from './pages/CaseNew';
import { CasePage } from './pages/CasePage';
import { Cases } from './pages/Cases';
import { Login } from './pages/Login';
import { PlacementNew, PlacementPage } from './pages/Placement';
import { PreventionNew, PreventionPage } from './pages/Prevention';
import { Records } from './pages/Records';
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
  const { pathname } = useLocation();
  if (pathname === '/login') return <Login />;
  if (!session) return <Redirect to={`/login?next=${encodeURIComponent(pathname)}`} />;
  if (pathname === '/') return <Worklist />;
  if (pathname === '/cases') return <Cases />;
  if (pathname === '/cases/new') return <CaseNew />;
  const caseId = match('/cases/:id', pathname)?.id;
  if (caseId) return <CasePage key={caseId} id={caseId} />;
  if (pathname === '/placements/new') return <PlacementNew />;
  const placementId = match('/placements/:id', pathname)?.id;
  if (placementId) return <PlacementPage key={placementId} id={placementId} />;
  if (pathname === '/preventions/new') return <PreventionNew />;
  const preventionId = match('/preventions/:id', pathname)?.id;
  if (preventionId) return <PreventionPage key={preventionId} id={preventionId} />;
  if (pathname === '/placements' || pathname === '/preventions') return <Records kind={pathname.slice(1) as 'placements' | 'preventions'} />;
  return <p>{t('app.notFound')}</p>;
}

export function App() {
  return (
    <Layout>
      <Page />
    </Layout>
  );
}
