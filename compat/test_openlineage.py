"""OpenLineage intake as a real producer meets it: the `openlineage-python` client sends RunEvents
through its HTTP transport, configured the way Airflow's provider and Spark's listener are (a URL and
an `api_key`), to Tally's default path `/api/v1/lineage`. An Airflow-like job builds a training set
from raw data; a Tally run tagged `openlineage.run_id` trains on it and registers a model; the model
version's upstream lineage then reaches the job and the raw data."""
import hashlib
import json
import uuid
from datetime import datetime, timedelta, timezone

import attr
import mlflow
import pandas as pd
import pytest
import requests
from models import fit_model, model_name
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import DatasetFacet, dataset_version_dataset, parent_run, schema_dataset
from openlineage.client.uuid import generate_new_uuid

PRODUCER = "https://github.com/tally/compat/airflow-like"
LAKE = "s3://fraud-lake"


@attr.define
class ContentHashDatasetFacet(DatasetFacet):
    """Tally's content hash facet (docs/openlineage.md): a digest of the data a job wrote."""

    hash: str
    algorithm: str = "sha256"


def _client(url, token, **transport):
    """A client configured as a producer's YAML or Airflow's `[openlineage] transport` would be."""
    return OpenLineageClient(
        config={"transport": {"type": "http", "url": url, "auth": {"type": "api_key", "apiKey": token}, **transport}}
    )


def _event(state, run_id, job_name, at, inputs=(), outputs=(), run_facets=None):
    return RunEvent(
        eventType=state,
        eventTime=at.isoformat(),
        run=Run(runId=str(run_id), facets=run_facets or {}),
        job=Job(namespace="airflow", name=job_name),
        inputs=list(inputs),
        outputs=list(outputs),
        producer=PRODUCER,
    )


def _upstream(tally, slug, node):
    response = requests.get(
        f"{tally['url']}/api/v1/projects/{slug}/lineage/upstream",
        params={"node": node, "depth": 10},
        headers={"authorization": f"Bearer {tally['projects'][slug]['read_token']}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_http_transport_authenticates_with_a_bearer_token_on_the_default_path(tally):
    token = tally["projects"]["compat"]["token"]
    client = _client(tally["url"], token)
    event = _event(RunState.START, generate_new_uuid(), f"probe-{uuid.uuid4().hex[:8]}", datetime.now(timezone.utc))
    response = client.transport.emit(event)
    assert response.status_code == 201
    assert response.json() == {"stored": True}
    assert response.request.url == f"{tally['url']}/api/v1/lineage"
    assert response.request.headers["Authorization"] == f"Bearer {token}"
    # The same event again is a duplicate, not an error the producer would retry.
    again = client.transport.emit(event)
    assert (again.status_code, again.json()) == (200, {"stored": False, "duplicate": True})

    read_only = _client(tally["url"], tally["projects"]["compat"]["read_token"])
    with pytest.raises(requests.HTTPError) as refused:
        read_only.emit(event)
    assert refused.value.response.status_code == 403
    # The project-scoped path refuses another project's token.
    foreign = _client(tally["url"], tally["projects"]["other"]["token"], endpoint="api/v1/projects/compat/lineage")
    with pytest.raises(requests.HTTPError) as not_found:
        foreign.emit(event)
    assert not_found.value.response.status_code == 404


def test_an_airflow_like_job_shows_up_upstream_of_the_model_trained_on_its_output(tally, experiment, tmp_path):
    suffix = uuid.uuid4().hex[:8]
    raw_name, training_name = f"raw/transactions-{suffix}", f"curated/training_set-{suffix}"
    job_name = f"fraud_pipeline.build_training_set_{suffix}"
    project = tally["projects"]["compat"]
    # Gzipped, as a busy Airflow deployment might send them.
    client = _client(tally["url"], project["token"], compression="gzip")

    raw = pd.DataFrame({"amount": [12.0, 250.0, 8.5, 990.0, 15.0, 720.0], "country": ["FR", "US", "FR", "NG", "DE", "US"]})
    raw_version = dataset_version_dataset.DatasetVersionDatasetFacet(datasetVersion="2026-11-30")
    raw_input = InputDataset(namespace=LAKE, name=raw_name, facets={"version": raw_version})

    # The task: one DAG run (the parent) and one task run, START then COMPLETE.
    dag_run_id, task_run_id = generate_new_uuid(), generate_new_uuid()
    parent = {
        "parent": parent_run.ParentRunFacet(
            run=parent_run.Run(runId=str(dag_run_id)), job=parent_run.Job(namespace="airflow", name="fraud_pipeline")
        )
    }
    started = datetime.now(timezone.utc)
    client.emit(
        _event(RunState.START, task_run_id, job_name, started, [raw_input], [OutputDataset(namespace=LAKE, name=training_name)], parent)
    )
    training = raw.assign(feature=raw["amount"] / 1000.0, label=(raw["amount"] > 500).astype(int))[["feature", "label"]]
    path = tmp_path / "training_set.csv"
    training.to_csv(path, index=False)
    content_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    schema = schema_dataset.SchemaDatasetFacet(
        fields=[schema_dataset.SchemaDatasetFacetFields(name="feature", type="DOUBLE"), schema_dataset.SchemaDatasetFacetFields(name="label", type="BIGINT")]
    )
    output = OutputDataset(namespace=LAKE, name=training_name, facets={"contentHash": ContentHashDatasetFacet(hash=content_hash), "schema": schema})
    client.emit(_event(RunState.COMPLETE, task_run_id, job_name, started + timedelta(seconds=5), [raw_input], [output], parent))

    # Training, in Tally, names the task run that produced its data.
    name = model_name()
    frame = pd.read_csv(path)
    with mlflow.start_run(tags={"openlineage.run_id": str(task_run_id)}) as run:
        mlflow.log_input(mlflow.data.from_pandas(frame, source=f"{LAKE}/{training_name}", name=training_name, targets="label"), context="train")
        mlflow.sklearn.log_model(fit_model(), name="model", registered_model_name=name)

    graph = _upstream(tally, "compat", f"version:{name}/1")
    nodes = {node["id"]: node for node in graph["nodes"]}
    jobs = [node for node in graph["nodes"] if node["kind"] == "job"]
    assert [(job["label"], job["detail"]) for job in jobs] == [(job_name, "airflow · COMPLETE")]
    job_id = jobs[0]["id"]
    assert nodes[f"dataset:{raw_name}@2026-11-30"]["kind"] == "dataset"
    # The run's own MLflow input (pandas' digest) is upstream too; the job's output version is its sibling.
    assert training_name in {node["label"] for node in graph["nodes"] if node["kind"] == "dataset"}
    assert {"from": job_id, "to": f"run:{run.info.run_id}", "kind": "openlineage", "context": None} in graph["edges"]
    assert {"from": f"dataset:{raw_name}@2026-11-30", "to": job_id, "kind": "input", "context": None} in graph["edges"]

    # The datasets pages show the version with its URI and the schema as MLflow columns.
    versions = _dataset_versions(tally, training_name)
    produced = next(version for version in versions if version["digest"] == content_hash)
    assert produced["sourceUri"] == f"{LAKE}/{training_name}"
    assert [(column["name"], column["type"]) for column in produced["columns"]] == [("feature", "double"), ("label", "long")]


def test_a_job_whose_parent_run_facet_names_a_tally_run_is_downstream_of_it(tally, experiment):
    project = tally["projects"]["compat"]
    client = _client(tally["url"], project["token"])
    with mlflow.start_run() as run:
        mlflow.log_param("threshold", 0.7)
    # The training run launched a scoring export; OpenLineage run ids are UUIDs, MLflow's are their hex.
    parent = {
        "parent": parent_run.ParentRunFacet(
            run=parent_run.Run(runId=str(uuid.UUID(run.info.run_id))), job=parent_run.Job(namespace="tally", name="train")
        )
    }
    export = f"exports/scores-{uuid.uuid4().hex[:8]}"
    job_run = generate_new_uuid()
    client.emit(
        _event(RunState.COMPLETE, job_run, "score_export", datetime.now(timezone.utc), outputs=[OutputDataset(namespace=LAKE, name=export)], run_facets=parent)
    )
    versions = _dataset_versions(tally, export)
    assert len(versions) == 1
    graph = _upstream(tally, "compat", f"dataset:{export}@{versions[0]['digest']}")
    assert f"run:{run.info.run_id}" in {node["id"] for node in graph["nodes"]}


def _dataset_versions(tally, name):
    """The dataset's page data as the web app reads it (tRPC `datasets.get`), signed in as the owner."""
    session = requests.Session()
    csrf = session.get(f"{tally['url']}/api/auth/csrf", timeout=30).json()["csrfToken"]
    session.post(
        f"{tally['url']}/api/auth/callback/credentials",
        data={"email": tally["owner"]["email"], "password": tally["owner"]["password"], "csrfToken": csrf},
        allow_redirects=False,
        timeout=30,
    )
    response = session.get(
        f"{tally['url']}/api/trpc/datasets.get",
        params={"input": json.dumps({"json": {"projectSlug": "compat", "name": name}})},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]["data"]["json"]["versions"]
