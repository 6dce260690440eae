"""Fuzzes Tally's REST APIs with schemathesis over the OpenAPI documents Tally serves (docs/api.md, "Fuzzing").

Two documents, each generated from the zod schemas that validate requests: Tally's own API
(/api/v1/openapi.json) and the MLflow API (/api/v1/openapi/mlflow.json). Each runs against a project
of its own with a token that may read, write and ask for promotions. The project holds a run with
metrics, params and tags, and a registered model with a version; half of the generated ids and names
are those, so that cases get past "not found" to the answers that carry data. A fixed number of cases
per operation and phase, and deterministic generation, keep the run bounded and repeatable. Any 5xx,
any answer that breaks its documented schema and any undocumented status fails the test, with
schemathesis's report of each failure and how to reproduce it.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mlflow import MlflowClient

# Cases per operation and phase (examples, coverage, fuzzing): what keeps the run bounded.
MAX_EXAMPLES = 25
SEED = 20261201
CHECKS = ("not_a_server_error", "status_code_conformance", "response_schema_conformance")
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


# Where the seeded ids and names go: (dictionary, parameter locations). Half of the cases use them.
BINDINGS = {
    "run_ids": ("path.runId", "query.run_id", "body.run_id", "body.source_run_id"),
    "experiment_ids": ("query.experiment_id", "body.experiment_id", "body.experiment_ids[*]"),
    "model_names": ("path.name", "query.name", "body.name"),
    "versions": ("path.version", "query.version", "body.version"),
    "metric_keys": ("query.key", "query.metric_key"),
}


def _config(directory: Path, seeded: dict) -> Path:
    """The run's settings; the token and the project come from the environment of the run."""
    checks = "\n".join(f"{check}.enabled = true" for check in CHECKS)
    dictionaries = "\n".join(f"[dictionaries.{name}]\nvalues = {json.dumps(seeded[name])}\n" for name in BINDINGS)
    bindings = "\n".join(
        f'"{location}" = {{ dictionary = "{name}", probability = 0.5 }}' for name, locations in BINDINGS.items() for location in locations
    )
    path = directory / "schemathesis.toml"
    path.write_text(
        f"""seed = {SEED}
headers = {{ Authorization = "Bearer ${{TALLY_FUZZ_TOKEN}}" }}

# Nothing is kept between runs: no crash cache, no example database in the working copy.
[cache]
enabled = false

[generation]
max-examples = {MAX_EXAMPLES}
deterministic = true
database = "none"

[phases.stateful]
enabled = false

[checks]
enabled = false
{checks}

{dictionaries}
[parameters]
"path.slug" = "${{TALLY_FUZZ_PROJECT}}"
{bindings}
"""
    )
    return path


@pytest.fixture(scope="module")
def fuzz_project(tally):
    """A project only the fuzzer writes to, so what it creates and deletes touches no other scenario."""
    tally["admin"]("create-project", "--slug", "fuzz", "--name", "Fuzz", "--owner", tally["owner"]["email"])
    token = tally["admin"]("create-token", "--project", "fuzz", "--name", "fuzzer", "--scopes", "read,write,promote")
    return {"slug": "fuzz", "token": token, "seeded": _seed(f"{tally['url']}/projects/fuzz", token)}


def _seed(tracking_uri: str, token: str) -> dict:
    """What the fuzzer's cases can find: a run with metrics, params and tags, a model with a version."""
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("MLFLOW_TRACKING_TOKEN", token)
        client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
        experiment_id = client.create_experiment("fuzz-experiment", tags={"team": "fuzz"})
        run = client.create_run(experiment_id, run_name="fuzz-run", tags={"stage": "train"})
        run_id = run.info.run_id
        for step in range(5):
            client.log_metric(run_id, "loss", 1.0 / (step + 1), step=step)
        client.log_metric(run_id, "nan_metric", float("nan"))
        client.log_param(run_id, "learning_rate", "0.01")
        client.set_terminated(run_id)
        client.create_registered_model("fuzz-model", description="Seeded for the fuzzer")
        client.create_model_version("fuzz-model", f"runs:/{run_id}/model", run_id=run_id)
    return {
        "run_ids": [run_id],
        "experiment_ids": [experiment_id],
        "model_names": ["fuzz-model"],
        "versions": [1],
        "metric_keys": ["loss", "nan_metric"],
    }


def _fuzz(tally, project, tmp_path, document: str, base_url: str):
    started = time.monotonic()
    run = subprocess.run(
        [
            SCHEMATHESIS,
            "--config-file",
            str(_config(tmp_path, project["seeded"])),
            "--no-color",
            "run",
            f"{tally['url']}{document}",
            "--url",
            base_url,
            # One worker: CPython 3.11's ast module is not thread-safe, and schemathesis compiles with it
            # per case ("AST constructor recursion depth mismatch" with two).
            "--workers",
            "1",
        ],
        env={**os.environ, "TALLY_FUZZ_TOKEN": project["token"], "TALLY_FUZZ_PROJECT": project["slug"]},
        capture_output=True,
        text=True,
        check=False,
    )
    summary = run.stdout[run.stdout.rfind("=== SUMMARY") :] if "=== SUMMARY" in run.stdout else run.stdout[-3000:]
    print(f"{document}: {time.monotonic() - started:.0f} s\n{summary}")
    assert run.returncode == 0, f"schemathesis found problems in {document}:\n{run.stdout[-20000:]}\n{run.stderr[-5000:]}"


def test_fuzz_tally_api(tally, fuzz_project, tmp_path):
    _fuzz(tally, fuzz_project, tmp_path, "/api/v1/openapi.json", f"{tally['url']}/api/v1")


def test_fuzz_mlflow_api(tally, fuzz_project, tmp_path):
    _fuzz(tally, fuzz_project, tmp_path, "/api/v1/openapi/mlflow.json", f"{tally['url']}/projects/{fuzz_project['slug']}/api/2.0/mlflow")
