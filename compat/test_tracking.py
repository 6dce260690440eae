"""Tracking with the unmodified mlflow client: what it logs is what Tally stores and returns."""
import math
import time

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException


def test_set_experiment_creates_once_and_finds_it_again(experiment):
    again = mlflow.set_experiment(experiment["name"])
    assert again.experiment_id == experiment["id"]
    stored = MlflowClient().get_experiment_by_name(experiment["name"])
    assert stored.lifecycle_stage == "active"
    assert stored.artifact_location == f"mlflow-artifacts:/{experiment['id']}"


def test_run_with_params_metrics_tags_and_nested_child(experiment):
    with mlflow.start_run(run_name="parent") as parent:
        mlflow.log_param("lr", 0.01)
        mlflow.log_params({"layers": 4, "optimizer": "adam"})
        for step in range(10):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"accuracy": 0.93, "not_a_number": float("nan"), "overflow": float("inf"), "underflow": float("-inf")})
        mlflow.set_tag("team", "vision")
        mlflow.set_tags({"stage": "dev", "dataset": "cifar10"})
        with mlflow.start_run(run_name="child", nested=True) as child:
            mlflow.log_metric("child_metric", 7)

    client = MlflowClient()
    run = client.get_run(parent.info.run_id)
    assert run.info.run_name == "parent"
    assert run.info.status == "FINISHED"
    assert run.info.end_time >= run.info.start_time
    assert run.data.params == {"lr": "0.01", "layers": "4", "optimizer": "adam"}
    assert run.data.metrics["loss"] == pytest.approx(0.1)
    assert run.data.metrics["accuracy"] == pytest.approx(0.93)
    assert math.isnan(run.data.metrics["not_a_number"])
    assert run.data.metrics["overflow"] == math.inf
    assert run.data.metrics["underflow"] == -math.inf
    assert {"team": "vision", "stage": "dev", "dataset": "cifar10", "mlflow.runName": "parent"}.items() <= run.data.tags.items()

    child_run = client.get_run(child.info.run_id)
    assert child_run.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert child_run.data.metrics == {"child_metric": 7.0}
    history = client.get_metric_history(parent.info.run_id, "loss")
    assert [point.step for point in history] == list(range(10))
    assert [point.value for point in history] == pytest.approx([1.0 / (step + 1) for step in range(10)])


def test_metric_history_of_30k_points_comes_back_complete_and_in_order(experiment):
    client = MlflowClient()
    with mlflow.start_run() as run:
        now = int(time.time() * 1000)
        for chunk in range(30):
            metrics = [Metric("curve", float(step) * 0.5, now + step, step) for step in range(chunk * 1000, (chunk + 1) * 1000)]
            client.log_batch(run.info.run_id, metrics=metrics)
    history = client.get_metric_history(run.info.run_id, "curve")
    assert len(history) == 30_000
    assert [point.step for point in history] == list(range(30_000))
    assert history[-1].value == pytest.approx(29_999 * 0.5)
    assert client.get_run(run.info.run_id).data.metrics["curve"] == pytest.approx(29_999 * 0.5)


def test_asynchronous_logging_stores_every_point_param_and_tag(experiment):
    client = MlflowClient()
    with mlflow.start_run() as run:
        pending = [mlflow.log_metric("async_loss", 1.0 / (step + 1), step=step, synchronous=False) for step in range(200)]
        pending.append(mlflow.log_params({"optimizer": "adam", "lr": "0.01"}, synchronous=False))
        pending.append(mlflow.set_tags({"mode": "async"}, synchronous=False))
        for operation in pending:
            operation.wait()
    history = client.get_metric_history(run.info.run_id, "async_loss")
    assert sorted(point.step for point in history) == list(range(200))
    data = client.get_run(run.info.run_id).data
    assert data.params == {"optimizer": "adam", "lr": "0.01"}
    assert data.tags["mode"] == "async"
    assert data.metrics["async_loss"] == pytest.approx(1.0 / 200)


def test_retried_identical_points_are_stored_once(experiment):
    client = MlflowClient()
    with mlflow.start_run() as run:
        point = Metric("retried", 1.5, 1_700_000_000_000, 3)
        client.log_batch(run.info.run_id, metrics=[point])
        client.log_batch(run.info.run_id, metrics=[point, point])
    assert len(client.get_metric_history(run.info.run_id, "retried")) == 1


@pytest.mark.parametrize("status", ["FINISHED", "FAILED", "KILLED"])
def test_end_run_records_each_status(experiment, status):
    run = mlflow.start_run()
    mlflow.end_run(status=status)
    stored = MlflowClient().get_run(run.info.run_id)
    assert stored.info.status == status
    assert stored.info.end_time is not None


def test_delete_and_restore_run(experiment):
    client = MlflowClient()
    with mlflow.start_run() as run:
        pass
    client.delete_run(run.info.run_id)
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    with pytest.raises(MlflowException, match="must be in the 'active' state"):
        client.log_param(run.info.run_id, "late", "1")
    client.restore_run(run.info.run_id)
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"


def test_log_input_records_a_pandas_dataset_with_its_context(experiment):
    frame = pd.DataFrame({"feature": [1.0, 2.0, 3.0], "label": [0, 1, 0]})
    dataset = mlflow.data.from_pandas(frame, source="s3://bucket/train.csv", name="train-set", targets="label")
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
        mlflow.log_input(dataset, context="training")
    inputs = MlflowClient().get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    assert inputs[0].dataset.name == "train-set"
    assert inputs[0].dataset.digest == dataset.digest
    assert {tag.key: tag.value for tag in inputs[0].tags}["mlflow.data.context"] == "training"


# ─── Refusals: a clear error, and nothing written ────────────────────────────────────────────────


def test_invalid_metric_key_is_refused(experiment):
    client = MlflowClient()
    with mlflow.start_run() as run:
        with pytest.raises(MlflowException, match="INVALID_PARAMETER_VALUE.*Invalid metric key"):
            client.log_batch(run.info.run_id, metrics=[Metric("ok", 1, 0, 0), Metric("bad key!", 1, 0, 0)])
    assert client.get_run(run.info.run_id).data.metrics == {}


def test_changing_a_param_is_refused_and_the_whole_batch_is_dropped(experiment):
    client = MlflowClient()
    with mlflow.start_run() as run:
        mlflow.log_param("lr", "0.1")
        with pytest.raises(MlflowException, match="Changing param values is not allowed"):
            client.log_batch(run.info.run_id, metrics=[Metric("m", 1, 0, 0)], params=[Param("lr", "0.2")], tags=[RunTag("t", "v")])
    stored = client.get_run(run.info.run_id)
    assert stored.data.params == {"lr": "0.1"}
    assert "m" not in stored.data.metrics
    assert "t" not in stored.data.tags


def test_oversized_batch_is_refused(experiment):
    # MlflowClient.log_batch splits big batches itself; its REST store sends them as given.
    from mlflow.store.tracking.rest_store import RestStore
    from mlflow.utils.credentials import get_default_host_creds

    store = RestStore(lambda: get_default_host_creds(mlflow.get_tracking_uri()))
    client = MlflowClient()
    with mlflow.start_run() as run:
        with pytest.raises(MlflowException, match="at most 1000 metrics"):
            store.log_batch(run.info.run_id, metrics=[Metric("m", float(i), 0, i) for i in range(1001)], params=[], tags=[])
    assert client.get_metric_history(run.info.run_id, "m") == []


def test_bad_token_is_refused_and_writes_nothing(experiment, tally, monkeypatch):
    with mlflow.start_run() as run:
        pass
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "tly_AAAAAAAAAAAA_" + "B" * 32)
    with pytest.raises(MlflowException, match="UNAUTHENTICATED"):
        MlflowClient().log_param(run.info.run_id, "sneaky", "1")
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", tally["projects"]["compat"]["token"])
    assert MlflowClient().get_run(run.info.run_id).data.params == {}


def test_read_only_token_cannot_write(experiment, tally, monkeypatch):
    with mlflow.start_run() as run:
        pass
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", tally["projects"]["compat"]["read_token"])
    client = MlflowClient()
    assert client.get_run(run.info.run_id).info.run_id == run.info.run_id
    with pytest.raises(MlflowException, match="PERMISSION_DENIED"):
        client.log_param(run.info.run_id, "sneaky", "1")


def test_another_projects_run_does_not_exist_for_this_token(experiment, tally, monkeypatch):
    with mlflow.start_run() as run:
        mlflow.log_param("secret", "42")
    other = tally["projects"]["other"]
    monkeypatch.setenv("MLFLOW_TRACKING_URI", other["uri"])
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", other["token"])
    mlflow.set_tracking_uri(other["uri"])
    client = MlflowClient()
    with pytest.raises(MlflowException, match="RESOURCE_DOES_NOT_EXIST"):
        client.get_run(run.info.run_id)
    with pytest.raises(MlflowException, match="RESOURCE_DOES_NOT_EXIST"):
        client.log_param(run.info.run_id, "sneaky", "1")
    # And a token of one project cannot be pointed at another project's URL.
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", tally["projects"]["compat"]["token"])
    with pytest.raises(MlflowException, match="RESOURCE_DOES_NOT_EXIST"):
        client.get_experiment("0")


def test_bare_server_url_logs_into_the_tokens_project(tally, monkeypatch):
    project = tally["projects"]["compat"]
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tally["url"])
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", project["token"])
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    mlflow.set_tracking_uri(tally["url"])
    name = f"bare-{time.time_ns()}"
    mlflow.set_experiment(name)
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 1.0)
    # Read back through the project URL: the run is in the token's project.
    mlflow.set_tracking_uri(project["uri"])
    assert MlflowClient().get_run(run.info.run_id).data.metrics == {"m": 1.0}
    assert MlflowClient().get_experiment_by_name(name) is not None
