-- Database objects schema.prisma cannot describe: the registry ledger's digest function and the
-- trigger that chains every new history row (docs/registry-ledger.md). Migrations create them; the
-- drift test (tests/integration/drift.test.ts) applies this file next to the schema and checks both match.

-- The registry ledger (docs/registry-ledger.md): each history row carries the SHA-256 of the previous
-- row's digest and its own content, so editing, deleting or reordering history breaks the chain.
-- `jsonb::text` is PostgreSQL's canonical form (sorted keys, fixed spacing), the same at write and verify.
CREATE FUNCTION registry_event_digest(prev_hash TEXT, e "RegistryEvent") RETURNS TEXT
LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(
    coalesce(prev_hash, '') || E'\n' || jsonb_build_object(
      'projectId', e."projectId",
      'modelId', e."modelId",
      'modelName', e."modelName",
      'version', e."version",
      'kind', e."kind",
      'actorType', e."actorType",
      'actorId', e."actorId",
      'actorLabel', e."actorLabel",
      'before', e."before",
      'after', e."after",
      'createdAt', to_char(e."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS'),
      'requestId', e."requestId"
    )::text,
    'UTF8')), 'hex')
$$;

-- Links every new row to the newest committed one. The advisory lock (held until commit) makes the
-- project's writers take turns, and the id is drawn under it, so id order is chain order.
CREATE FUNCTION registry_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('registry-ledger:' || NEW."projectId", 0));
  NEW."id" := nextval(pg_get_serial_sequence('"RegistryEvent"', 'id'));
  SELECT "hash" INTO NEW."prevHash" FROM "RegistryEvent"
    WHERE "projectId" = NEW."projectId" ORDER BY "id" DESC LIMIT 1;
  NEW."hash" := registry_event_digest(NEW."prevHash", NEW);
  RETURN NEW;
END
$$;

CREATE TRIGGER "RegistryEvent_chain" BEFORE INSERT ON "RegistryEvent"
  FOR EACH ROW EXECUTE FUNCTION registry_event_chain();
