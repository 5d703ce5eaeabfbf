/**
 * What each role finds in the shell: its menu and its home page. The API decides what a role may do (the
 * policy table); this only offers each role the pages it can use, so nobody meets a page of refusals.
 */
import type { User } from './session';

type Role = User['role'];

export const NAV: Record<Role, readonly (readonly [path: string, label: string])[]> = {
  officer: [
    ['/', 'nav.worklist'],
    ['/cases', 'nav.cases'],
    ['/placements', 'nav.placements'],
    ['/preventions', 'nav.preventions'],
    ['/sessions', 'nav.sessions'],
    ['/enquiries', 'nav.enquiries'],
    ['/communities', 'nav.communities'],
    ['/businesses', 'nav.businesses'],
    ['/people', 'nav.search'],
  ],
  supervisor: [
    ['/dashboard', 'nav.dashboard'],
    ['/approvals', 'nav.approvals'],
    ['/cases', 'nav.cases'],
    ['/placements', 'nav.placements'],
    ['/preventions', 'nav.preventions'],
    ['/sessions', 'nav.sessions'],
    ['/enquiries', 'nav.enquiries'],
    ['/communities', 'nav.communities'],
    ['/businesses', 'nav.businesses'],
    ['/people', 'nav.search'],
  ],
  auditor: [
    ['/audit', 'nav.audit'],
    ['/audit/integrity', 'nav.integrity'],
    ['/audit/access', 'nav.access'],
    ['/dashboard', 'nav.dashboard'],
    ['/cases', 'nav.cases'],
    ['/placements', 'nav.placements'],
    ['/preventions', 'nav.preventions'],
  ],
  admin: [
    ['/admin/users', 'nav.users'],
    ['/admin/subjects', 'nav.subjects'],
    ['/admin/reference', 'nav.reference'],
    ['/admin/read-models', 'nav.readModels'],
  ],
};

/** Where `/` leads: the officer's worklist, the supervisor's dashboard, the auditor's workbench, the admin's users. */
export const HOME: Record<Role, string> = { officer: '/', supervisor: '/dashboard', auditor: '/audit', admin: '/admin/users' };

/** Only officers record: the buttons that start a record are theirs. */
export const records = (user: User | undefined): boolean => user?.role === 'officer';
