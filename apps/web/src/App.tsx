import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { Layout, Loading } from './components';
import { ListPage, type RecordKind } from './lists';
import { CaseNew } from './pages/CaseNew';
import { CasePage } from './pages/CasePage';
import { CommunityNew, CommunityPage } from './pages/Community';
import { BusinessNew, BusinessPage, ConsultationNew, ConsultationPage, GroupNew, GroupPage, KurNew, KurPage } from './pages/Enterprise';
import { EnquiryNew, EnquiryPage, SessionNew, SessionPage } from './pages/Information';
import { Login } from './pages/Login';
import { PersonPage, PersonSearch } from './pages/People';
import { PlacementNew, PlacementPage } from './pages/Placement';
import { PreventionNew, PreventionPage } from './pages/Prevention';
import { SyncPage } from './pages/Sync';
import { HOME } from './roles';

// The supervisors', auditors' and administrators' pages are chunks of their own: an officer's phone never
// downloads them (the officers' first load keeps its budget).
const Dashboard = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.Dashboard })));
const Approvals = lazy(() => import('./pages/Approvals').then((m) => ({ default: m.Approvals })));
const Users = lazy(() => import('./pages/Admin').then((m) => ({ default: m.Users })));
const AuditHome = lazy(() => import('./pages/Audit').then((m) => ({ default: m.AuditHome })));
const AuditRecord = lazy(() => import('./pages/Audit').then((m) => ({ default: m.AuditRecord })));
const Integrity = lazy(() => import('./pages/Audit').then((m) => ({ default: m.Integrity })));
const AccessLog = lazy(() => import('./pages/Audit').then((m) => ({ default: m.AccessLog })));
const SubjectRequests = lazy(() => import('./pages/Admin').then((m) => ({ default: m.SubjectRequests })));
const ReferenceData = lazy(() => import('./pages/Admin').then((m) => ({ default: m.ReferenceData })));
const ReadModelsPage = lazy(() => import('./pages/Admin').then((m) => ({ default: m.ReadModelsPage })));
import { Worklist } from './pages/Worklist';
import { match, navigate, useLocation } from './router';
import { useSession } from './session';

const LISTS: readonly RecordKind[] = [
  'cases',
  'placements',
  'preventions',
  'sessions',
  'enquiries',
  'communities',
  'businesses',
  'business-groups',
  'kur',
  'consultations',
];

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
  const role = session.user.role;
  if (pathname === '/') return role === 'officer' ? <Worklist /> : <Redirect to={HOME[role]} />;
  if (pathname === '/worklist') return <Worklist />;
  if (pathname === '/sync') return <SyncPage />;
  if (pathname === '/dashboard') return <Dashboard />;
  if (pathname === '/approvals') return <Approvals />;
  if (pathname === '/audit') return <AuditHome />;
  if (pathname === '/audit/integrity') return <Integrity />;
  if (pathname === '/audit/access') return <AccessLog />;
  const stream = match('/audit/record/:stream', pathname)?.stream;
  if (stream) return <AuditRecord key={stream} stream={stream} />;
  if (pathname === '/admin/users') return <Users />;
  if (pathname === '/admin/subjects') return <SubjectRequests />;
  if (pathname === '/admin/reference') return <ReferenceData />;
  if (pathname === '/admin/read-models') return <ReadModelsPage />;
  if (LISTS.includes(pathname.slice(1) as RecordKind)) return <ListPage kind={pathname.slice(1) as RecordKind} query={query} />;
  if (pathname === '/people') return <PersonSearch />;
  const personId = match('/people/:id', pathname)?.id;
  if (personId) return <PersonPage key={personId} id={personId} />;
  if (pathname === '/cases/new') return <CaseNew />;
  const caseId = match('/cases/:id', pathname)?.id;
  if (caseId) return <CasePage key={caseId} id={caseId} />;
  if (pathname === '/placements/new') return <PlacementNew />;
  const placementId = match('/placements/:id', pathname)?.id;
  if (placementId) return <PlacementPage key={placementId} id={placementId} />;
  if (pathname === '/sessions/new') return <SessionNew />;
  const sessionId = match('/sessions/:id', pathname)?.id;
  if (sessionId) return <SessionPage key={sessionId} id={sessionId} />;
  if (pathname === '/enquiries/new') return <EnquiryNew />;
  const enquiryId = match('/enquiries/:id', pathname)?.id;
  if (enquiryId) return <EnquiryPage key={enquiryId} id={enquiryId} />;
  if (pathname === '/businesses/new') return <BusinessNew />;
  const businessId = match('/businesses/:id', pathname)?.id;
  if (businessId) return <BusinessPage key={businessId} id={businessId} />;
  if (pathname === '/business-groups/new') return <GroupNew />;
  const groupId = match('/business-groups/:id', pathname)?.id;
  if (groupId) return <GroupPage key={groupId} id={groupId} />;
  if (pathname === '/kur/new') return <KurNew />;
  const kurId = match('/kur/:id', pathname)?.id;
  if (kurId) return <KurPage key={kurId} id={kurId} />;
  if (pathname === '/consultations/new') return <ConsultationNew />;
  const consultationId = match('/consultations/:id', pathname)?.id;
  if (consultationId) return <ConsultationPage key={consultationId} id={consultationId} />;
  if (pathname === '/communities/new') return <CommunityNew />;
  const communityId = match('/communities/:id', pathname)?.id;
  if (communityId) return <CommunityPage key={communityId} id={communityId} />;
  if (pathname === '/preventions/new') return <PreventionNew />;
  const preventionId = match('/preventions/:id', pathname)?.id;
  if (preventionId) return <PreventionPage key={preventionId} id={preventionId} />;
  return <p>{t('app.notFound')}</p>;
}

export function App() {
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Page />
      </Suspense>
    </Layout>
  );
}
