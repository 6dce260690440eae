"""Fuzzes Tally's REST APIs with schemathesis over the OpenAPI documents Tally serves (docs/api.md, "Fuzzing").

Two documents, each generated from the zod schemas that validate requests: Tally's own API
(/api/v1/openapi.json) and the MLflow API (/api/v1/openapi/mlflow.json). Each runs against a project
of its own with a token that may read, write and ask for promotions. A fixed number of cases per
operation and phase, and deterministic generation, keep the run bounded and repeatable. Any 5xx, any
answer that breaks its documented schema and any undocumented status fails the test, with
schemathesis's report of each failure and how to reproduce it.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Cases per operation and phase (examples, coverage, fuzzing): what keeps the run bounded.
MAX_EXAMPLES = 25
SEED = 20261201
CHECKS = ("not_a_server_error", "status_code_conformance", "response_schema_conformance")
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def _config(directory: Path) -> Path:
    """The run's settings; the token and the project come from the environment of the run."""
    checks = "\n".join(f"{check}.enabled = true" for check in CHECKS)
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

[parameters]
"path.slug" = "${{TALLY_FUZZ_PROJECT}}"
"""
    )
    return path


@pytest.fixture(scope="module")
def fuzz_project(tally):
    """A project only the fuzzer writes to, so what it creates and deletes touches no other scenario."""
    tally["admin"]("create-project", "--slug", "fuzz", "--name", "Fuzz", "--owner", tally["owner"]["email"])
    token = tally["admin"]("create-token", "--project", "fuzz", "--name", "fuzzer", "--scopes", "read,write,promote")
    return {"slug": "fuzz", "token": token}


def _fuzz(tally, project, tmp_path, document: str, base_url: str):
    started = time.monotonic()
    run = subprocess.run(
        [
            SCHEMATHESIS,
            "--config-file",
            str(_config(tmp_path)),
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
