/**
 * The catalog of information topics a dissemination session or an enquiry is about. The program's own
 * topics are built in; administrators extend the catalog, and each addition is an event of one stream, so
 * what a session's topic meant on the day it was recorded is never lost.
 */
import { type Decider, type Envelope, RuleViolated } from '@jejak/kernel';

export const TOPICS_STREAM = 'information-topics';

/** The program's topics (KKBM information dissemination), in the order the forms list them. */
export const SEED_TOPICS = [
  'safe_migration_procedure',
  'required_documents',
  'moratorium_countries',
  'rights_and_protection_abroad',
  'remittances_and_financial_literacy',
  'recognising_illegal_recruiters',
] as const;

/** A topic code: lower-case words joined by underscores, as the seed's. */
export const TOPIC_CODE = /^[a-z][a-z0-9_]{2,63}$/;

export interface TopicName {
  readonly id: string;
  readonly en: string;
}

export type TopicEvent = {
  readonly type: 'InformationTopicAdded';
  readonly data: { readonly code: string; readonly name: { readonly id: string; readonly en: string } };
};

export type TopicCommand = Envelope & { readonly type: 'AddTopic'; readonly code: string; readonly name: TopicName };

export interface TopicCatalog {
  /** Every topic code in use: the built-in ones first, then those added, in the order they were added. */
  readonly codes: readonly string[];
  /** The names administrators gave the topics they added (built-in ones are named by the apps' catalogs). */
  readonly names: Readonly<Record<string, TopicName>>;
}

export const initialTopicCatalog: TopicCatalog = { codes: SEED_TOPICS, names: {} };

export class TopicRuleViolated extends RuleViolated<'TOPIC_EXISTS'> {}

export const topicDecider: Decider<TopicCatalog, TopicCommand, TopicEvent> = {
  initialState: initialTopicCatalog,
  evolve: (catalog, event) => ({
    codes: [...catalog.codes, event.data.code],
    names: { ...catalog.names, [event.data.code]: event.data.name },
  }),
  decide: (command, catalog) => {
    if (catalog.codes.includes(command.code)) throw new TopicRuleViolated('TOPIC_EXISTS', `The topic ${command.code} is in the catalog`);
    return [{ type: 'InformationTopicAdded', data: { code: command.code, name: { id: command.name.id, en: command.name.en } } }];
  },
};
