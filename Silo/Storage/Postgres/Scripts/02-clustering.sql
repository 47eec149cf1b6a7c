-- CityArray's PostgreSQL schema for the Orleans 10.4.2 ADO.NET providers: 2 of 4, clustering (membership).
--
-- Query keys the provider needs: UpdateIAmAlivetimeKey, InsertMembershipVersionKey, InsertMembershipKey,
-- UpdateMembershipKey, MembershipReadRowKey, MembershipReadAllKey, DeleteMembershipTableEntriesKey,
-- GatewaysQueryKey, CleanupDefunctSiloEntriesKey; CleanupDefunctSiloEntryKey is optional (when present the
-- provider deletes dead silos one by one, matching the row it read).
-- Parameters: @DeploymentId (the cluster id), @Address, @Port, @Generation, @SiloName, @HostName, @Status,
-- @ProxyPort, @StartTime, @IAmAliveTime, @SuspectTimes, @Version. Times arrive as UTC DateTime values that
-- Npgsql sends as timestamptz, so every time column is timestamptz.
-- Insert and update return one integer column: > 0 when the write happened, 0 when the table version
-- (the optimistic-concurrency etag) did not match.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Inserts a silo's row and bumps the table version, both or neither.
CREATE OR REPLACE FUNCTION cityarray_membership_insert(
    p_deployment_id  varchar,
    p_address        varchar,
    p_port           integer,
    p_generation     integer,
    p_silo_name      varchar,
    p_host_name      varchar,
    p_status         integer,
    p_proxy_port     integer,
    p_start_time     timestamptz,
    p_i_am_alive     timestamptz,
    p_table_version  integer)
    RETURNS TABLE (row_count integer)
    LANGUAGE plpgsql
AS $func$
DECLARE
    affected integer := 0;
BEGIN
    UPDATE OrleansMembershipVersionTable AS v
    SET Timestamp = now(), Version = v.Version + 1
    WHERE v.DeploymentId = p_deployment_id
      AND v.Version = p_table_version
      AND v.Version < 2147483647;
    GET DIAGNOSTICS affected = ROW_COUNT;

    IF affected > 0 THEN
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES
            (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start_time, p_i_am_alive)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            -- The row exists already: undo the version bump and report failure.
            UPDATE OrleansMembershipVersionTable AS v
            SET Version = v.Version - 1
            WHERE v.DeploymentId = p_deployment_id;
        END IF;
    END IF;

    RETURN QUERY SELECT affected;
END
$func$;

-- Updates a silo's row and bumps the table version, both or neither.
CREATE OR REPLACE FUNCTION cityarray_membership_update(
    p_deployment_id  varchar,
    p_address        varchar,
    p_port           integer,
    p_generation     integer,
    p_status         integer,
    p_suspect_times  varchar,
    p_i_am_alive     timestamptz,
    p_table_version  integer)
    RETURNS TABLE (row_count integer)
    LANGUAGE plpgsql
AS $func$
DECLARE
    affected integer := 0;
BEGIN
    UPDATE OrleansMembershipVersionTable AS v
    SET Timestamp = now(), Version = v.Version + 1
    WHERE v.DeploymentId = p_deployment_id
      AND v.Version = p_table_version
      AND v.Version < 2147483647;
    GET DIAGNOSTICS affected = ROW_COUNT;

    IF affected > 0 THEN
        UPDATE OrleansMembershipTable AS m
        SET Status = p_status,
            SuspectTimes = p_suspect_times,
            IAmAliveTime = GREATEST(m.IAmAliveTime, p_i_am_alive)
        WHERE m.DeploymentId = p_deployment_id
          AND m.Address = p_address
          AND m.Port = p_port
          AND m.Generation = p_generation;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            UPDATE OrleansMembershipVersionTable AS v
            SET Version = v.Version - 1
            WHERE v.DeploymentId = p_deployment_id;
        END IF;
    END IF;

    RETURN QUERY SELECT affected;
END
$func$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    WITH inserted AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer AS row_count FROM inserted;
$q$),

('InsertMembershipKey', $q$
    SELECT row_count FROM cityarray_membership_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$),

('UpdateMembershipKey', $q$
    SELECT row_count FROM cityarray_membership_update(
        @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version);
$q$),

('UpdateIAmAlivetimeKey', $q$
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
    WHERE DeploymentId = @DeploymentId
      AND Address = @Address
      AND Port = @Port
      AND Generation = @Generation;
$q$),

('MembershipReadRowKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
           ON m.DeploymentId = v.DeploymentId
          AND m.Address = @Address
          AND m.Port = @Port
          AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
$q$),

('MembershipReadAllKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
$q$),

('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$q$),

('GatewaysQueryKey', $q$
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status = @Status
      AND ProxyPort > 0;
$q$),

-- Fallback bulk cleanup (used only when CleanupDefunctSiloEntryKey is absent): dead silos (Status 6)
-- not heard from since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND IAmAliveTime < @IAmAliveTime
      AND StartTime < @IAmAliveTime
      AND COALESCE(SuspectTimes, '') = ''
      AND Status = 6;
$q$),

-- Deletes one dead silo's row only if it is still exactly the row the provider read.
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Address = @Address
      AND Port = @Port
      AND Generation = @Generation
      AND Status = 6
      AND IAmAliveTime = @IAmAliveTime
      AND StartTime = @StartTime
      AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
