"""DVC intake with the real `dvc`: a two-stage pipeline in a throwaway git repository (prepare:
raw.csv → clean.csv, featurize: clean.csv → features.csv), reproduced with `dvc repro`, imported with
the SDK's `tally datasets import-dvc`, then a training run that logs features.csv through the mlflow
client's MetaDataset with DVC's md5 as digest (the recipe in docs/dvc.md): the run's upstream lineage
reaches the prepare stage and raw.csv."""
import json
import os
import subprocess
import sys
import uuid
from urllib.parse import quote

import mlflow
import requests
import yaml
from conftest import ROOT
from mlflow.data.dataset_source import DatasetSource
from mlflow.data.meta_dataset import MetaDataset

PREPARE = "import pathlib\nrows = pathlib.Path('raw.csv').read_text().splitlines()\npathlib.Path('clean.csv').write_text('\\n'.join(r for r in rows if r.strip()) + '\\n')\n"
FEATURIZE = "import pathlib\nrows = pathlib.Path('clean.csv').read_text().splitlines()\npathlib.Path('features.csv').write_text(''.join(r.upper() + ',1\\n' for r in rows))\n"


# ─── The recipe of docs/dvc.md ──────────────────────────────────────────────────────────────────


class DvcSource(DatasetSource):
    """A DVC-tracked path, logged with source type "dvc" like the TypeScript SDK's logDvcInput."""

    def __init__(self, path):
        self.path = path

    @staticmethod
    def _get_source_type():
        return "dvc"

    def load(self, dst_path=None):
        return self.path

    @staticmethod
    def _can_resolve(raw_source):
        return False

    @classmethod
    def _resolve(cls, raw_source):
        return cls(raw_source)

    def to_dict(self):
        return {"uri": self.path}

    @classmethod
    def from_dict(cls, source_dict):
        return cls(source_dict["uri"])


def dvc_md5(path, lock="dvc.lock"):
    """The md5 dvc.lock records for a stage's out (or dep) at `path`."""
    with open(lock, encoding="utf-8") as file:
        stages = yaml.safe_load(file)["stages"].values()
    for key in ("outs", "deps"):
        for stage in stages:
            for entry in stage.get(key, []):
                if entry["path"] == path:
                    return entry["md5"]
    raise KeyError(f"{path} is not in {lock}")


def dvc_dataset(path, lock="dvc.lock"):
    return MetaDataset(DvcSource(path), name=path, digest=dvc_md5(path, lock))


# ─── The scenario ───────────────────────────────────────────────────────────────────────────────


def _run(cwd, *args):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, "DVC_NO_ANALYTICS": "1"})
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _pipeline(repo):
    """`dvc init`, two stages added with `dvc stage add`, reproduced and committed."""
    _run(repo, "git", "init", "-q")
    _run(repo, "git", "config", "user.email", "compat@example.test")
    _run(repo, "git", "config", "user.name", "compat")
    dvc = [sys.executable, "-m", "dvc"]
    _run(repo, *dvc, "init", "-q")
    # Unique data, so the versions are this test's own in the shared project.
    (repo / "raw.csv").write_text(f"id-{uuid.uuid4().hex}\n\nid-{uuid.uuid4().hex}\n")
    (repo / "prepare.py").write_text(PREPARE)
    (repo / "featurize.py").write_text(FEATURIZE)
    python = sys.executable
    _run(repo, *dvc, "stage", "add", "-q", "-n", "prepare", "-d", "prepare.py", "-d", "raw.csv", "-o", "clean.csv", f"{python} prepare.py")
    _run(repo, *dvc, "stage", "add", "-q", "-n", "featurize", "-d", "featurize.py", "-d", "clean.csv", "-o", "features.csv", f"{python} featurize.py")
    _run(repo, *dvc, "repro", "-q")
    _run(repo, "git", "add", "-A")
    _run(repo, "git", "commit", "-qm", "pipeline")


def _import(repo, project):
    output = _run(
        ROOT,
        "node", "sdk/bin/tally.mjs", "datasets", "import-dvc",
        "--lock", str(repo / "dvc.lock"), "--url", project["uri"], "--token", project["token"], "--json",
    )
    return json.loads(output)


def _walk(tally, project, direction, node, depth):
    response = requests.get(
        f"{tally['url']}/api/v1/projects/compat/lineage/{direction}?node={quote(node, safe='')}&depth={depth}",
        headers={"authorization": f"Bearer {project['token']}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_dvc_pipeline_joins_the_lineage_of_the_run_that_trains_on_its_output(experiment, mlflow_env, tally, tmp_path, monkeypatch):
    repo = tmp_path / "pipeline"
    repo.mkdir()
    _pipeline(repo)
    features_md5 = dvc_md5("features.csv", repo / "dvc.lock")
    raw_md5 = dvc_md5("raw.csv", repo / "dvc.lock")

    imported = _import(repo, mlflow_env)
    assert [stage["name"] for stage in imported["stages"]] == ["prepare", "featurize"]
    assert imported["counts"]["stages"] == 2 and imported["counts"]["jobRunsCreated"] == 2
    assert {"name": "features.csv", "digest": features_md5, "node": f"dataset:features.csv@{features_md5}", "created": True} in imported["datasetVersions"]

    # The version exists with its source: the lineage API names it by path and md5 and shows the path.
    features = _walk(tally, mlflow_env, "upstream", f"dataset:features.csv@{features_md5}", 1)
    node = next(node for node in features["nodes"] if node["id"] == f"dataset:features.csv@{features_md5}")
    assert node["detail"] == f"{features_md5[:12]} · features.csv"
    assert any(node["kind"] == "job" and node["label"] == "featurize" for node in features["nodes"])

    # Importing the committed lock again changes nothing.
    again = _import(repo, mlflow_env)
    assert again["counts"]["jobRunsCreated"] == 0 and again["counts"]["datasetVersionsCreated"] == 0 and again["counts"]["edgesCreated"] == 0

    # A training run in the pipeline's folder logs features.csv by path, with DVC's md5.
    monkeypatch.chdir(repo)
    with mlflow.start_run() as run:
        mlflow.log_input(dvc_dataset("features.csv"), context="train")
    logged = mlflow.MlflowClient().get_run(run.info.run_id).inputs.dataset_inputs
    assert [(item.dataset.name, item.dataset.digest, item.dataset.source_type) for item in logged] == [("features.csv", features_md5, "dvc")]

    upstream = _walk(tally, mlflow_env, "upstream", f"run:{run.info.run_id}", 10)
    by_id = {node["id"]: node for node in upstream["nodes"]}
    prepare = [node for node in upstream["nodes"] if node["kind"] == "job" and node["label"] == "prepare"]
    assert len(prepare) == 1 and prepare[0]["depth"] == 4
    assert by_id[f"dataset:features.csv@{features_md5}"]["depth"] == 1
    assert by_id[f"dataset:raw.csv@{raw_md5}"]["depth"] == 5
    assert {"from": f"dataset:features.csv@{features_md5}", "to": f"run:{run.info.run_id}", "kind": "input", "context": "train"} in upstream["edges"]
