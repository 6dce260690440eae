"""Artifacts with the unmodified mlflow client: files, folders, dicts, text, images and MLflow 3 models."""
import hashlib
import json
import os

import mlflow
import numpy as np
import pytest
import requests
import yaml
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from PIL import Image


def _listing(run_id, path=None):
    return sorted((entry.path, entry.is_dir, entry.file_size) for entry in MlflowClient().list_artifacts(run_id, path))


def _sha(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_log_artifact_files_and_folders_then_list_and_download(experiment, tmp_path):
    source = tmp_path / "source"
    (source / "nested" / "deeper").mkdir(parents=True)
    (source / "a.txt").write_text("alpha\n")
    (source / "nested" / "b.bin").write_bytes(os.urandom(70_000))
    (source / "nested" / "deeper" / "c.csv").write_text("x,y\n1,2\n")
    single = tmp_path / "notes.md"
    single.write_text("# Notes\n")

    with mlflow.start_run() as run:
        mlflow.log_artifact(str(single))
        mlflow.log_artifact(str(single), artifact_path="docs")
        mlflow.log_artifacts(str(source), artifact_path="data")

    run_id = run.info.run_id
    assert _listing(run_id) == [("data", True, None), ("docs", True, None), ("notes.md", False, 8)]
    assert _listing(run_id, "data") == [("data/a.txt", False, 6), ("data/nested", True, None)]
    assert _listing(run_id, "data/nested") == [("data/nested/b.bin", False, 70_000), ("data/nested/deeper", True, None)]

    downloaded = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="data", dst_path=str(tmp_path / "out"))
    for relative in ("a.txt", "nested/b.bin", "nested/deeper/c.csv"):
        assert _sha(os.path.join(downloaded, relative)) == _sha(source / relative)
    one = MlflowClient().download_artifacts(run_id, "docs/notes.md", str(tmp_path / "one"))
    assert open(one).read() == "# Notes\n"


def test_log_dict_text_and_images_are_stored_as_files(experiment, tmp_path):
    pixels = (np.arange(12 * 10 * 3) % 255).astype(np.uint8).reshape(12, 10, 3)
    with mlflow.start_run() as run:
        mlflow.log_dict({"lr": 0.01, "layers": [64, 32]}, "config/params.json")
        mlflow.log_dict({"lr": 0.01}, "config/params.yaml")
        mlflow.log_text("hello from a training job\n", "logs/out.txt")
        mlflow.log_image(pixels, "images/array.png")
        mlflow.log_image(Image.new("RGB", (7, 5), color=(255, 0, 0)), "images/pil.png")

    run_id = run.info.run_id
    target = mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=str(tmp_path / "all"))
    assert json.load(open(os.path.join(target, "config/params.json"))) == {"lr": 0.01, "layers": [64, 32]}
    assert yaml.safe_load(open(os.path.join(target, "config/params.yaml"))) == {"lr": 0.01}
    assert open(os.path.join(target, "logs/out.txt")).read() == "hello from a training job\n"
    assert np.array_equal(np.asarray(Image.open(os.path.join(target, "images/array.png"))), pixels)
    assert Image.open(os.path.join(target, "images/pil.png")).size == (7, 5)
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/logs/out.txt") == "hello from a training job\n"
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/config/params.json")["layers"] == [64, 32]


def test_missing_folder_lists_as_empty(experiment):
    with mlflow.start_run() as run:
        mlflow.log_text("x", "present.txt")
    assert MlflowClient().list_artifacts(run.info.run_id, "absent") == []


def test_sklearn_log_model_files_are_artifacts_and_load_back(experiment):
    from sklearn.linear_model import LogisticRegression

    features = np.array([[0.0, 1.0], [1.0, 0.0], [0.9, 0.1], [0.1, 0.8], [0.2, 0.9], [0.8, 0.3]])
    labels = np.array([0, 1, 1, 0, 0, 1])
    model = LogisticRegression().fit(features, labels)
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(model, name="classifier", input_example=features[:2])

    logged = mlflow.get_logged_model(info.model_id)
    assert logged.source_run_id == run.info.run_id
    assert logged.status == "READY" or str(logged.status).endswith("READY")
    names = {os.path.basename(entry.path) for entry in mlflow.artifacts.list_artifacts(artifact_uri=logged.artifact_location)}
    assert {"MLmodel", "model.skops", "requirements.txt", "python_env.yaml"} <= names

    loaded = mlflow.sklearn.load_model(info.model_uri)
    assert np.array_equal(loaded.predict(features), model.predict(features))


def test_bad_token_cannot_upload_and_nothing_is_written(experiment, mlflow_env, monkeypatch, tmp_path):
    with mlflow.start_run() as run:
        mlflow.log_text("kept", "kept.txt")
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "tly_not_a_real_token")
    # Artifact uploads surface HTTP errors as requests' own exception.
    with pytest.raises((MlflowException, requests.HTTPError)):
        MlflowClient().log_text(run.info.run_id, "sneaky", "sneaky.txt")
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", mlflow_env["token"])
    assert [entry.path for entry in MlflowClient().list_artifacts(run.info.run_id)] == ["kept.txt"]


def test_read_only_token_cannot_upload(experiment, mlflow_env, monkeypatch):
    with mlflow.start_run() as run:
        pass
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", mlflow_env["read_token"])
    with pytest.raises(requests.HTTPError, match="403"):
        MlflowClient().log_text(run.info.run_id, "nope", "nope.txt")
    assert MlflowClient().list_artifacts(run.info.run_id) == []


def test_artifacts_of_another_projects_run_are_not_found(tally, experiment):
    with mlflow.start_run() as run:
        mlflow.log_text("private", "private.txt")
    other = tally["projects"]["other"]
    root = run.info.artifact_uri.replace("mlflow-artifacts:/", "")
    response = requests.get(
        f"{other['uri']}/api/2.0/mlflow-artifacts/artifacts/{root}/private.txt",
        headers={"Authorization": f"Bearer {other['token']}"},
        timeout=10,
    )
    assert response.status_code == 404
    listing = requests.get(
        f"{other['uri']}/api/2.0/mlflow/artifacts/list",
        params={"run_id": run.info.run_id},
        headers={"Authorization": f"Bearer {other['token']}"},
        timeout=10,
    )
    assert listing.status_code == 404
    assert listing.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"
