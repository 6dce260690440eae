-- The lineage graph's mirrored edges (docs/lineage.md). Runs, logged models and model versions are
-- written by several code paths (Prisma and the raw-SQL ingest path), so the edges that mirror them are
-- kept by triggers: whichever path writes a row, its edge is written in the same transaction.
-- The drift test (tests/integration/drift.test.ts) applies this file next to the schema.

-- Adds one edge, or refreshes its kind and context when the pair is already linked.
CREATE FUNCTION lineage_link(project TEXT, from_key TEXT, to_key TEXT, edge_kind TEXT, edge_context TEXT)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO "LineageEdge" ("projectId", src, dst, kind, context)
  VALUES (project, from_key, to_key, edge_kind, edge_context)
  ON CONFLICT (src, dst) DO UPDATE SET kind = EXCLUDED.kind, context = EXCLUDED.context
$$;

-- A deleted run, logged model, model version or job run takes its edges with it. TG_ARGV[0] is the
-- node kind of the table.
CREATE FUNCTION lineage_forget_node() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  node TEXT := TG_ARGV[0] || ':' || OLD.id;
BEGIN
  DELETE FROM "LineageEdge" WHERE src = node;
  DELETE FROM "LineageEdge" WHERE dst = node;
  RETURN NULL;
END
$$;

-- MLflow keeps datasets per experiment; the project's dataset version is the (name, digest) across
-- them. A version first heard of elsewhere (OpenLineage, DVC) gains the schema and profile MLflow logs.
CREATE FUNCTION lineage_dataset_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "DatasetVersion" (id, "projectId", name, digest, "sourceType", source, schema, profile, origin)
  SELECT gen_random_uuid()::text, e."projectId", NEW.name, NEW.digest, NEW."sourceType", NEW.source,
         NEW.schema, NEW.profile, 'mlflow'
  FROM "Experiment" e WHERE e.id = NEW."experimentId"
  ON CONFLICT ("projectId", name, digest) DO UPDATE
    SET schema = coalesce("DatasetVersion".schema, EXCLUDED.schema),
        profile = coalesce("DatasetVersion".profile, EXCLUDED.profile);
  RETURN NULL;
END
$$;

-- A run's dataset input is an edge into the run; an input whose context is "output" is a dataset the
-- run produced, an edge out of it.
CREATE FUNCTION lineage_run_input() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  project TEXT;
  run_user TEXT;
  version_id TEXT;
  input_context TEXT;
  run_key TEXT := 'run:' || NEW."runId";
  dataset_key TEXT;
BEGIN
  SELECT r."projectId", r."userId" INTO project, run_user FROM "Run" r WHERE r.id = NEW."runId";
  SELECT v.id INTO version_id
  FROM "Dataset" d JOIN "DatasetVersion" v ON v."projectId" = project AND v.name = d.name AND v.digest = d.digest
  WHERE d.id = NEW."datasetId";
  IF version_id IS NULL THEN
    RETURN NULL;
  END IF;
  dataset_key := 'dataset:' || version_id;
  UPDATE "DatasetVersion" SET "createdBy" = run_user
  WHERE id = version_id AND "createdBy" IS NULL AND run_user <> '';
  SELECT tag ->> 'value' INTO input_context
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.tags) = 'array' THEN NEW.tags ELSE '[]'::jsonb END) tag
  WHERE tag ->> 'key' = 'mlflow.data.context' LIMIT 1;
  IF input_context = 'output' THEN
    DELETE FROM "LineageEdge" WHERE src = dataset_key AND dst = run_key;
    PERFORM lineage_link(project, run_key, dataset_key, 'output', NULL);
  ELSE
    DELETE FROM "LineageEdge" WHERE src = run_key AND dst = dataset_key;
    PERFORM lineage_link(project, dataset_key, run_key, 'input', input_context);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION lineage_run_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM "LineageEdge" WHERE src = 'run:' || OLD."parentRunId" AND dst = 'run:' || OLD.id;
  END IF;
  IF NEW."parentRunId" IS NOT NULL THEN
    PERFORM lineage_link(NEW."projectId", 'run:' || NEW."parentRunId", 'run:' || NEW.id, 'parent', NULL);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION lineage_logged_model_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."sourceRunId" IS NOT NULL THEN
    DELETE FROM "LineageEdge" WHERE src = 'run:' || OLD."sourceRunId" AND dst = 'model:' || OLD.id;
  END IF;
  IF NEW."sourceRunId" IS NOT NULL THEN
    PERFORM lineage_link(NEW."projectId", 'run:' || NEW."sourceRunId", 'model:' || NEW.id, 'produced', NULL);
  END IF;
  RETURN NULL;
END
$$;

-- MLflow 3 runs/outputs: the run produced the logged model.
CREATE FUNCTION lineage_run_output() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lineage_link(r."projectId", 'run:' || NEW."runId", 'model:' || NEW."modelId", 'produced', NULL)
  FROM "Run" r WHERE r.id = NEW."runId";
  RETURN NULL;
END
$$;

-- MLflow 3 model_inputs: the run used the logged model, e.g. as the base it fine-tuned.
CREATE FUNCTION lineage_run_model_input() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lineage_link(r."projectId", 'model:' || NEW."modelId", 'run:' || NEW."runId", 'base_model', NULL)
  FROM "Run" r WHERE r.id = NEW."runId";
  RETURN NULL;
END
$$;

-- A model version comes from its logged model, and from its run when the logged model does not
-- already lead back to that run.
CREATE FUNCTION lineage_model_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  project TEXT;
  model_source_run TEXT;
BEGIN
  SELECT m."projectId" INTO project FROM "RegisteredModel" m WHERE m.id = NEW."modelId";
  IF NEW."loggedModelId" IS NOT NULL THEN
    SELECT l."sourceRunId" INTO model_source_run FROM "LoggedModel" l WHERE l.id = NEW."loggedModelId";
    PERFORM lineage_link(project, 'model:' || NEW."loggedModelId", 'version:' || NEW.id, 'registered', NULL);
  END IF;
  IF NEW."runId" IS NOT NULL AND NEW."runId" IS DISTINCT FROM model_source_run THEN
    PERFORM lineage_link(project, 'run:' || NEW."runId", 'version:' || NEW.id, 'registered', NULL);
  END IF;
  RETURN NULL;
END
$$;

-- A Tally run tagged openlineage.run_id is the run an OpenLineage job execution started (an Airflow
-- task that launched training, say): the job run leads into it, whichever of the two arrived first.
CREATE FUNCTION lineage_openlineage_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM "LineageEdge" WHERE dst = 'run:' || OLD."runId" AND kind = 'openlineage';
  END IF;
  PERFORM lineage_link(j."projectId", 'job:' || j.id, 'run:' || NEW."runId", 'openlineage', NULL)
  FROM "Run" r JOIN "LineageJobRun" j ON j."projectId" = r."projectId" AND j."externalId" = NEW.value
  WHERE r.id = NEW."runId";
  RETURN NULL;
END
$$;

CREATE FUNCTION lineage_job_run_tagged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lineage_link(NEW."projectId", 'job:' || NEW.id, 'run:' || t."runId", 'openlineage', NULL)
  FROM "RunTag" t JOIN "Run" r ON r.id = t."runId"
  WHERE t.key = 'openlineage.run_id' AND t.value = NEW."externalId" AND r."projectId" = NEW."projectId";
  RETURN NULL;
END
$$;

CREATE TRIGGER lineage_dataset_version AFTER INSERT ON "Dataset"
  FOR EACH ROW EXECUTE FUNCTION lineage_dataset_version();
CREATE TRIGGER lineage_run_input AFTER INSERT OR UPDATE OF tags ON "RunInput"
  FOR EACH ROW EXECUTE FUNCTION lineage_run_input();
CREATE TRIGGER lineage_run_parent_insert AFTER INSERT ON "Run"
  FOR EACH ROW WHEN (NEW."parentRunId" IS NOT NULL) EXECUTE FUNCTION lineage_run_parent();
CREATE TRIGGER lineage_run_parent_update AFTER UPDATE OF "parentRunId" ON "Run"
  FOR EACH ROW WHEN (OLD."parentRunId" IS DISTINCT FROM NEW."parentRunId") EXECUTE FUNCTION lineage_run_parent();
CREATE TRIGGER lineage_run_forget AFTER DELETE ON "Run"
  FOR EACH ROW EXECUTE FUNCTION lineage_forget_node('run');
CREATE TRIGGER lineage_logged_model_insert AFTER INSERT ON "LoggedModel"
  FOR EACH ROW WHEN (NEW."sourceRunId" IS NOT NULL) EXECUTE FUNCTION lineage_logged_model_source();
CREATE TRIGGER lineage_logged_model_update AFTER UPDATE OF "sourceRunId" ON "LoggedModel"
  FOR EACH ROW WHEN (OLD."sourceRunId" IS DISTINCT FROM NEW."sourceRunId") EXECUTE FUNCTION lineage_logged_model_source();
CREATE TRIGGER lineage_logged_model_forget AFTER DELETE ON "LoggedModel"
  FOR EACH ROW EXECUTE FUNCTION lineage_forget_node('model');
CREATE TRIGGER lineage_run_output AFTER INSERT ON "RunOutput"
  FOR EACH ROW EXECUTE FUNCTION lineage_run_output();
CREATE TRIGGER lineage_run_model_input AFTER INSERT ON "RunModelInput"
  FOR EACH ROW EXECUTE FUNCTION lineage_run_model_input();
CREATE TRIGGER lineage_model_version AFTER INSERT ON "ModelVersion"
  FOR EACH ROW EXECUTE FUNCTION lineage_model_version();
CREATE TRIGGER lineage_model_version_forget AFTER DELETE ON "ModelVersion"
  FOR EACH ROW EXECUTE FUNCTION lineage_forget_node('version');
CREATE TRIGGER lineage_openlineage_tag AFTER INSERT OR UPDATE OF value ON "RunTag"
  FOR EACH ROW WHEN (NEW.key = 'openlineage.run_id') EXECUTE FUNCTION lineage_openlineage_tag();
CREATE TRIGGER lineage_job_run_tagged AFTER INSERT ON "LineageJobRun"
  FOR EACH ROW EXECUTE FUNCTION lineage_job_run_tagged();
CREATE TRIGGER lineage_job_run_forget AFTER DELETE ON "LineageJobRun"
  FOR EACH ROW EXECUTE FUNCTION lineage_forget_node('job');
