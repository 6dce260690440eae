"""Drives the real `mlflow` client against a Tally started for this test session.

The session starts `scripts/serve-test-instance.ts` (a production build on a throwaway PostgreSQL),
creates an account (owner of both projects), two projects and their tokens with the admin CLI, and
hands tests a tracking URI and token. Every scenario reads back what Tally stored through the API.
"""
import json
import os
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PORT = os.environ.get("TALLY_COMPAT_PORT", "3300")
OWNER_EMAIL = "compat@example.test"
OWNER_PASSWORD = "compat-password-1"


def _admin(database_url, *args):
    result = subprocess.run(
        ["node", "--import", "tsx", "scripts/admin.ts", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"admin {' '.join(args)} failed: {result.stderr}")
    return result.stdout.strip()


@pytest.fixture(scope="session")
def tally():
    server = subprocess.Popen(
        ["node", "--import", "tsx", "scripts/serve-test-instance.ts"],
        cwd=ROOT,
        # Two web processes, as `npm start` runs on a two-core machine: the real clients meet both.
        env={**os.environ, "TALLY_TEST_PORT": PORT, "TALLY_WEB_PROCESSES": "2"},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        instance = None
        for line in server.stdout:
            if line.startswith("TALLY_TEST_INSTANCE "):
                instance = json.loads(line.split(" ", 1)[1])
                break
        if instance is None:
            raise RuntimeError("the Tally test instance did not start")
        database_url = instance["databaseUrl"]
        _admin(database_url, "create-user", "--email", OWNER_EMAIL, "--password", OWNER_PASSWORD, "--admin")
        projects = {}
        for slug in ("compat", "other"):
            _admin(database_url, "create-project", "--slug", slug, "--name", slug.title(), "--owner", OWNER_EMAIL)
            projects[slug] = {
                "uri": f"{instance['url']}/projects/{slug}",
                "token": _admin(database_url, "create-token", "--project", slug, "--name", "compat", "--scopes", "read,write"),
                "read_token": _admin(database_url, "create-token", "--project", slug, "--name", "reader", "--scopes", "read"),
                # A training pipeline's token that may also ask for promotions to gated targets.
                "promote_token": _admin(
                    database_url, "create-token", "--project", slug, "--name", "pipeline", "--scopes", "read,write,promote"
                ),
            }
        yield {
            "url": instance["url"],
            "projects": projects,
            "owner": {"email": OWNER_EMAIL, "password": OWNER_PASSWORD},
            # For scenarios that need a project of their own (the fuzzing run).
            "admin": lambda *args: _admin(database_url, *args),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture()
def mlflow_env(tally, monkeypatch):
    """The environment a training job would have: tracking URI of project `compat` and its token."""
    project = tally["projects"]["compat"]
    monkeypatch.setenv("MLFLOW_TRACKING_URI", project["uri"])
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", project["token"])
    # Fail fast instead of MLflow's four minutes of retries when something is wrong.
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    import mlflow

    mlflow.set_tracking_uri(project["uri"])
    yield project
    while mlflow.active_run():
        mlflow.end_run()


@pytest.fixture()
def experiment(mlflow_env):
    """A fresh experiment per test, so tests never see each other's runs."""
    import mlflow

    name = f"compat-{uuid.uuid4().hex[:10]}"
    experiment_id = mlflow.set_experiment(name).experiment_id
    return {"name": name, "id": experiment_id}
