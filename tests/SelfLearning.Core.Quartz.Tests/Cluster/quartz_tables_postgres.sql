-- The tables Quartz.NET 4.7.3's ADO.NET job store (PostgreSQL delegate, table prefix "qrtz_") reads and writes, for the
-- clustered scheduler test. Written for this test from the columns the 4.7.3 job store validates at start; a host
-- creates these with its own migrations. The execution-history tables are left out: they are needed only when a
-- scheduler opts into UseExecutionHistory().

create table qrtz_job_details (
    sched_name        text    not null,
    job_name          text    not null,
    job_group         text    not null,
    description       text,
    job_class_name    text    not null,
    is_durable        boolean not null,
    is_nonconcurrent  boolean not null,
    is_update_data    boolean not null,
    requests_recovery boolean not null,
    job_data          bytea,
    constraint qrtz_job_details_pk primary key (sched_name, job_name, job_group)
);

create table qrtz_triggers (
    sched_name              text     not null,
    trigger_name            text     not null,
    trigger_group           text     not null,
    job_name                text     not null,
    job_group               text     not null,
    description             text,
    next_fire_time          bigint,
    prev_fire_time          bigint,
    priority                integer,
    trigger_state           text     not null,
    trigger_type            text     not null,
    start_time              bigint   not null,
    end_time                bigint,
    calendar_name           text,
    misfire_instr           smallint,
    misfire_orig_fire_time  bigint,
    misfire_threshold       bigint,
    execution_group         varchar(200),
    preferred_node          varchar(200),
    preferred_node_auto     boolean  not null default false,
    retry_policy            varchar(250),
    retry_attempt           integer,
    continues_trigger_name  text,
    continues_trigger_group text,
    continuation_condition  integer,
    overlap_policy          integer,
    fixed_delay             boolean,
    pause_reason            varchar(250),
    paused_by               varchar(200),
    paused_at               bigint,
    job_data                bytea,
    constraint qrtz_triggers_pk primary key (sched_name, trigger_name, trigger_group),
    constraint qrtz_triggers_job_fk foreign key (sched_name, job_name, job_group)
        references qrtz_job_details (sched_name, job_name, job_group)
);

-- One row per trigger of each built-in family, beside its row in qrtz_triggers and removed with it.
create table qrtz_simple_triggers (
    sched_name      text   not null,
    trigger_name    text   not null,
    trigger_group   text   not null,
    repeat_count    bigint not null,
    repeat_interval bigint not null,
    times_triggered bigint not null,
    constraint qrtz_simple_triggers_pk primary key (sched_name, trigger_name, trigger_group),
    constraint qrtz_simple_triggers_trigger_fk foreign key (sched_name, trigger_name, trigger_group)
        references qrtz_triggers (sched_name, trigger_name, trigger_group) on delete cascade
);

create table qrtz_cron_triggers (
    sched_name      text not null,
    trigger_name    text not null,
    trigger_group   text not null,
    cron_expression text not null,
    time_zone_id    text,
    constraint qrtz_cron_triggers_pk primary key (sched_name, trigger_name, trigger_group),
    constraint qrtz_cron_triggers_trigger_fk foreign key (sched_name, trigger_name, trigger_group)
        references qrtz_triggers (sched_name, trigger_name, trigger_group) on delete cascade
);

create table qrtz_simprop_triggers (
    sched_name    text not null,
    trigger_name  text not null,
    trigger_group text not null,
    str_prop_1    text,
    str_prop_2    text,
    str_prop_3    text,
    int_prop_1    integer,
    int_prop_2    integer,
    long_prop_1   bigint,
    long_prop_2   bigint,
    dec_prop_1    numeric,
    dec_prop_2    numeric,
    bool_prop_1   boolean,
    bool_prop_2   boolean,
    time_zone_id  text,
    constraint qrtz_simprop_triggers_pk primary key (sched_name, trigger_name, trigger_group),
    constraint qrtz_simprop_triggers_trigger_fk foreign key (sched_name, trigger_name, trigger_group)
        references qrtz_triggers (sched_name, trigger_name, trigger_group) on delete cascade
);

create table qrtz_blob_triggers (
    sched_name    text not null,
    trigger_name  text not null,
    trigger_group text not null,
    blob_data     bytea,
    constraint qrtz_blob_triggers_pk primary key (sched_name, trigger_name, trigger_group),
    constraint qrtz_blob_triggers_trigger_fk foreign key (sched_name, trigger_name, trigger_group)
        references qrtz_triggers (sched_name, trigger_name, trigger_group) on delete cascade
);

create table qrtz_calendars (
    sched_name    text  not null,
    calendar_name text  not null,
    calendar      bytea not null,
    constraint qrtz_calendars_pk primary key (sched_name, calendar_name)
);

create table qrtz_paused_trigger_grps (
    sched_name    text not null,
    trigger_group text not null,
    pause_reason  varchar(250),
    paused_by     varchar(200),
    paused_at     bigint,
    constraint qrtz_paused_trigger_grps_pk primary key (sched_name, trigger_group)
);

create table qrtz_paused_job_grps (
    sched_name   text not null,
    job_group    text not null,
    pause_reason varchar(250),
    paused_by    varchar(200),
    paused_at    bigint,
    constraint qrtz_paused_job_grps_pk primary key (sched_name, job_group)
);

-- A firing in progress, per node: what a cluster recovers when the node that acquired it stops checking in.
create table qrtz_fired_triggers (
    sched_name               text    not null,
    entry_id                 text    not null,
    trigger_name             text    not null,
    trigger_group            text    not null,
    instance_name            text    not null,
    fired_time               bigint  not null,
    sched_time               bigint  not null,
    priority                 integer not null,
    state                    text    not null,
    job_name                 text,
    job_group                text,
    is_nonconcurrent         boolean not null,
    requests_recovery        boolean,
    execution_group          varchar(200),
    progress                 integer,
    progress_message         varchar(250),
    interrupt_requested_time bigint,
    constraint qrtz_fired_triggers_pk primary key (sched_name, entry_id)
);

-- The cluster's members and their last check-in.
create table qrtz_scheduler_state (
    sched_name        text   not null,
    instance_name     text   not null,
    last_checkin_time bigint not null,
    checkin_interval  bigint not null,
    quartz_version    varchar(20),
    constraint qrtz_scheduler_state_pk primary key (sched_name, instance_name)
);

-- The rows the nodes lock (SELECT … FOR UPDATE) to acquire and fire triggers one node at a time.
create table qrtz_locks (
    sched_name text not null,
    lock_name  text not null,
    constraint qrtz_locks_pk primary key (sched_name, lock_name)
);

create index qrtz_job_details_group_name on qrtz_job_details (sched_name, job_group, job_name);
create index qrtz_triggers_job on qrtz_triggers (sched_name, job_name, job_group);
create index qrtz_triggers_group_name on qrtz_triggers (sched_name, trigger_group, trigger_name);
create index qrtz_triggers_calendar on qrtz_triggers (sched_name, calendar_name);
create index qrtz_triggers_acquirable on qrtz_triggers (sched_name, trigger_state, next_fire_time, priority desc, misfire_instr);
create index qrtz_fired_triggers_recovery on qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
create index qrtz_fired_triggers_job on qrtz_fired_triggers (sched_name, job_name, job_group);
create index qrtz_fired_triggers_trigger on qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
