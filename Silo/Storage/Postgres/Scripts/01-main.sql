-- CityArray's PostgreSQL schema for the Orleans 10.4.2 ADO.NET providers: 1 of 4, the query catalogue.
--
-- The providers read every query they run from OrleansQuery (QueryKey -> QueryText) when they start, then
-- bind parameters by name (@DeploymentId, @GrainId, ...) and read result columns by name. These scripts
-- keep that contract; the SQL behind each key is the project's own.
--
-- Every script is idempotent: PostgresSchema applies all of them, in file order, in one transaction under
-- an advisory lock, on every silo start. Tables live in the connection's default schema (orleans#9578).

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
