import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * The competence engine's projections of the statement stream (`packages/competence/src/engine`,
 * issue 6; ARCHITECTURE.md: "Competence reports are projections of the statement stream").
 *
 * - `competence_config`: a tenant's framework, evidence rules, rating configuration and program
 *   vocabulary (tier/phase activity types, quotas), versioned; the highest version is active. A new
 *   version makes the engine rebuild every projection from the start of the stream.
 * - `competence_engine`: one row per tenant (the partition): the stream cursor `(txid, seq)`, the
 *   config version the projections were built with, rebuild progress. The consumer holds this row
 *   `for update skip locked` while it applies a page, so two server processes never apply the
 *   same page and a crash leaves the cursor and the projections at the same point.
 * - `competence_learner`: every actor the engine has seen (IFI key), with the name, school NPSN
 *   and kecamatan the statements said.
 * - `competence_evidence`: statement → indicator evidence (append-only; voiding sets `voided`).
 * - `competence_rating`: learner × framework node (indicator, sub-competence, competence), with
 *   the rating method, the config version and the evidence statement ids behind it.
 * - `learning_fact`: the statements activity reports read (milestones, tasks, meetings,
 *   mentoring), classified once; `learner_month`: statements per learner and month.
 * - `person_identity`: which xAPI actors (IFI keys) are which person of the organisation tree;
 *   `learner_placement` joins learners to their person, school, kecamatan and district (the
 *   contract between the organisation tree, written by lti-tool, and the reports).
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table competence_config (
      tenant_id uuid not null references tenant (id),
      version integer not null check (version > 0),
      framework jsonb not null,
      rules jsonb not null,
      rating jsonb not null,
      program jsonb not null default '{}'::jsonb,
      created_by text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, version)
    )`,
    `create table competence_engine (
      tenant_id uuid primary key references tenant (id),
      txid bigint not null default 0,
      seq bigint not null default 0,
      config_version integer,
      state text not null default 'catching-up' check (state in ('catching-up', 'rebuilding', 'current')),
      rebuild_total bigint,
      rebuild_done bigint not null default 0,
      processed bigint not null default 0,
      last_stored timestamptz,
      updated_at timestamptz not null default now()
    )`,
    `create table competence_learner (
      tenant_id uuid not null references tenant (id),
      learner_key text not null,
      name text,
      npsn text,
      kecamatan_iri text,
      first_at timestamptz not null,
      last_at timestamptz not null,
      primary key (tenant_id, learner_key)
    )`,
    `create index competence_learner_npsn on competence_learner (tenant_id, npsn)`,
    `create table competence_evidence (
      tenant_id uuid not null references tenant (id),
      statement_id uuid not null,
      indicator text not null,
      learner_key text not null,
      source text not null,
      score real not null,
      at timestamptz not null,
      weight real not null,
      rule text not null,
      voided boolean not null default false,
      primary key (tenant_id, statement_id, indicator)
    )`,
    `create index competence_evidence_learner on competence_evidence (tenant_id, learner_key, indicator)`,
    `create table competence_rating (
      tenant_id uuid not null references tenant (id),
      learner_key text not null,
      code text not null,
      level text not null check (level in ('indicator', 'sub-competence', 'competence')),
      rating real not null,
      proficient boolean not null,
      method text not null,
      config_version integer not null,
      evidence uuid[] not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, learner_key, code)
    )`,
    `create index competence_rating_code on competence_rating (tenant_id, level, code)`,
    `create table learning_fact (
      tenant_id uuid not null references tenant (id),
      statement_id uuid not null,
      learner_key text not null,
      kind text not null,
      verb text not null,
      object_id text not null,
      object_type text,
      object_name text,
      program_id text,
      tier_id text,
      parent_id text,
      related_key text,
      at timestamptz not null,
      stored timestamptz not null,
      score real,
      success boolean,
      completion boolean,
      duration_seconds integer,
      voided boolean not null default false,
      primary key (tenant_id, statement_id)
    )`,
    `create index learning_fact_learner on learning_fact (tenant_id, learner_key, at)`,
    `create index learning_fact_kind on learning_fact (tenant_id, kind, object_id)`,
    `create index learning_fact_related on learning_fact (tenant_id, related_key) where related_key is not null`,
    `create table learner_month (
      tenant_id uuid not null references tenant (id),
      learner_key text not null,
      month date not null,
      statements integer not null,
      primary key (tenant_id, learner_key, month)
    )`,
    `create table person_identity (
      tenant_id uuid not null references tenant (id),
      ifi_key text not null,
      person_id uuid not null references person (id) on delete cascade,
      primary key (tenant_id, ifi_key)
    )`,
    `create index person_identity_person on person_identity (person_id)`,
    `create view learner_placement as
      select l.tenant_id, l.learner_key, coalesce(p.name, l.name, l.learner_key) as name, p.id as person_id,
             s.id as school_id, s.name as school_name, s.code as npsn,
             k.id as kecamatan_id, k.name as kecamatan_name, k.code as kecamatan_code,
             d.id as district_id, d.name as district_name, s.path as school_path
        from competence_learner l
        left join person_identity pi on pi.tenant_id = l.tenant_id and pi.ifi_key = l.learner_key
        left join person p on p.id = pi.person_id
        left join org_node s on s.id = coalesce(
          p.school_id,
          (select n.id from org_node n where n.tenant_id = l.tenant_id and n.kind = 'school' and n.code = l.npsn))
        left join org_node k on k.id = s.parent_id
        left join org_node d on d.id = k.parent_id`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop view learner_placement',
    'drop table person_identity',
    'drop table learner_month',
    'drop table learning_fact',
    'drop table competence_rating',
    'drop table competence_evidence',
    'drop table competence_learner',
    'drop table competence_engine',
    'drop table competence_config',
  ])
}
