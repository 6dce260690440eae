"""The model registry as the real mlflow client uses it: registration from log_model and from a
run, versions, stages, aliases, tags, descriptions, rename and delete, and loading a model back by
version, alias, stage and `latest`. Moves here use targets the default approval policy leaves ungated
(stage Staging, alias `challenger`); test_promotions.py covers the gated ones."""
import time

import mlflow
import numpy as np
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException, RestException
from models import FEATURES, error_code, fit_model, model_name


def test_log_model_with_registered_model_name_is_ready_at_once(experiment):
    name = model_name()
    model = fit_model()
    started = time.monotonic()
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(model, name="classifier", registered_model_name=name)
    # A version the client sees as PENDING would make it poll for up to five minutes.
    assert time.monotonic() - started < 60
    client = MlflowClient()
    version = client.get_model_version(name, "1")
    assert version.status == "READY"
    assert version.run_id == run.info.run_id
    assert version.current_stage == "None"
    assert str(info.registered_model_version) == "1"
    loaded = mlflow.sklearn.load_model(f"models:/{name}/1")
    assert np.array_equal(loaded.predict(FEATURES), model.predict(FEATURES))


def test_register_model_from_a_run_and_a_logged_model_then_load_by_alias_stage_and_latest(experiment):
    name = model_name()
    first, second = fit_model(0.5), fit_model(2.0)
    with mlflow.start_run() as run:
        logged = mlflow.sklearn.log_model(first, name="model")
    v1 = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
    assert v1.version == "1"
    with mlflow.start_run():
        second_logged = mlflow.sklearn.log_model(second, name="model")
    v2 = mlflow.register_model(f"models:/{second_logged.model_id}", name)
    assert v2.version == "2"
    client = MlflowClient()

    client.set_registered_model_alias(name, "challenger", "1")
    assert client.get_model_version_by_alias(name, "challenger").version == "1"
    challenger = mlflow.pyfunc.load_model(f"models:/{name}@challenger")
    assert np.array_equal(challenger.predict(FEATURES), first.predict(FEATURES))
    # Moving the alias points it at the other version.
    client.set_registered_model_alias(name, "challenger", "2")
    assert client.get_registered_model(name).aliases == {"challenger": "2"}

    client.transition_model_version_stage(name, "1", "Staging")
    staging = mlflow.sklearn.load_model(f"models:/{name}/Staging")
    assert np.array_equal(staging.predict(FEATURES), first.predict(FEATURES))
    latest = mlflow.sklearn.load_model(f"models:/{name}/latest")
    assert np.array_equal(latest.predict(FEATURES), second.predict(FEATURES))
    assert [v.version for v in client.get_latest_versions(name, stages=["staging"])] == ["1"]
    assert sorted(v.version for v in client.get_latest_versions(name)) == ["1", "2"]

    client.delete_registered_model_alias(name, "challenger")
    with pytest.raises(MlflowException) as missing:
        client.get_model_version_by_alias(name, "challenger")
    assert error_code(missing.value) == "RESOURCE_DOES_NOT_EXIST"
    assert logged.model_id != second_logged.model_id


def test_stages_archive_existing_versions(experiment):
    name = model_name()
    client = MlflowClient()
    client.create_registered_model(name)
    with mlflow.start_run() as run:
        mlflow.log_text("weights", "model/weights.txt")
    for _ in range(3):
        client.create_model_version(name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    client.transition_model_version_stage(name, "1", "Staging")
    client.transition_model_version_stage(name, "2", "staging", archive_existing_versions=True)
    stages = {v.version: v.current_stage for v in client.search_model_versions(f"name = '{name}'")}
    assert stages == {"1": "Archived", "2": "Staging", "3": "None"}
    with pytest.raises(MlflowException) as refused:
        client.transition_model_version_stage(name, "3", "Archived", archive_existing_versions=True)
    assert error_code(refused.value) == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as unknown:
        client.transition_model_version_stage(name, "3", "Prod")
    assert error_code(unknown.value) == "INVALID_PARAMETER_VALUE"
    assert client.get_model_version(name, "3").current_stage == "None"


def test_tags_descriptions_rename_and_delete(experiment):
    name = model_name()
    client = MlflowClient()
    client.create_registered_model(name, tags={"team": "vision"}, description="first")
    with mlflow.start_run() as run:
        mlflow.log_text("weights", "model/weights.txt")
    client.create_model_version(name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id, tags={"quality": "ok"})
    client.set_registered_model_tag(name, "owner", "ada")
    client.delete_registered_model_tag(name, "team")
    client.update_registered_model(name, description="second")
    client.set_model_version_tag(name, "1", "validated", "yes")
    client.delete_model_version_tag(name, "1", "quality")
    client.update_model_version(name, "1", description="the first one")
    client.set_registered_model_alias(name, "candidate", "1")

    new_name = f"{name}-renamed"
    client.rename_registered_model(name, new_name)
    model = client.get_registered_model(new_name)
    assert model.description == "second"
    assert model.tags == {"owner": "ada"}
    assert model.aliases == {"candidate": "1"}
    version = client.get_model_version(new_name, "1")
    assert version.tags == {"validated": "yes"}
    assert version.description == "the first one"
    assert version.aliases == ["candidate"]
    with pytest.raises(MlflowException) as gone:
        client.get_registered_model(name)
    assert error_code(gone.value) == "RESOURCE_DOES_NOT_EXIST"

    client.create_model_version(new_name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    client.delete_model_version(new_name, "2")
    # A deleted version's number is never given out again.
    assert client.create_model_version(new_name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id).version == "3"
    client.delete_registered_model(new_name)
    with pytest.raises(MlflowException) as deleted:
        client.get_model_version(new_name, "1")
    assert error_code(deleted.value) == "RESOURCE_DOES_NOT_EXIST"


def test_refused_inputs_have_mlflows_error_codes_and_change_nothing(experiment):
    name = model_name()
    client = MlflowClient()
    client.create_registered_model(name)
    cases = [
        (lambda: client.create_registered_model(name), "RESOURCE_ALREADY_EXISTS"),
        (lambda: client.create_registered_model("bad/name"), "INVALID_PARAMETER_VALUE"),
        (lambda: client.get_model_version(name, "7"), "RESOURCE_DOES_NOT_EXIST"),
        (lambda: client.create_model_version(f"{name}-missing", "mlflow-artifacts:/x"), "RESOURCE_DOES_NOT_EXIST"),
        (lambda: client.create_model_version(name, "mlflow-artifacts:/1/../../etc"), "INVALID_PARAMETER_VALUE"),
        (lambda: client.set_registered_model_alias(name, "latest", "1"), "INVALID_PARAMETER_VALUE"),
        (lambda: client.set_registered_model_alias(name, "V3", "1"), "INVALID_PARAMETER_VALUE"),
        (lambda: client.set_registered_model_alias(name, "challenger", "1"), "RESOURCE_DOES_NOT_EXIST"),
        (lambda: client.rename_registered_model(f"{name}-missing", f"{name}-x"), "RESOURCE_DOES_NOT_EXIST"),
    ]
    for call, code in cases:
        with pytest.raises((MlflowException, RestException)) as refused:
            call()
        assert error_code(refused.value) == code, refused.value
    model = client.get_registered_model(name)
    assert model.latest_versions == [] and model.aliases == {}


def test_read_token_cannot_change_the_registry(experiment, mlflow_env, monkeypatch):
    name = model_name()
    MlflowClient().create_registered_model(name)
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", mlflow_env["read_token"])
    client = MlflowClient()
    assert client.get_registered_model(name).name == name
    with pytest.raises(MlflowException) as refused:
        client.update_registered_model(name, description="not allowed")
    assert error_code(refused.value) == "PERMISSION_DENIED"
    with pytest.raises(MlflowException):
        client.create_registered_model(model_name())


def test_another_projects_models_do_not_exist(tally, experiment, monkeypatch):
    name = model_name()
    MlflowClient().create_registered_model(name)
    other = tally["projects"]["other"]
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", other["token"])
    client = MlflowClient(tracking_uri=other["uri"])
    with pytest.raises(MlflowException) as missing:
        client.get_registered_model(name)
    assert error_code(missing.value) == "RESOURCE_DOES_NOT_EXIST"
    assert client.search_registered_models(filter_string=f"name = '{name}'") == []
