"""Searching with the unmodified mlflow client: filters, order_by, paging, view types."""
import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException


@pytest.fixture()
def runs(experiment):
    """Six runs with known metrics, params and tags, logged as a sweep would."""
    client = MlflowClient()
    specs = [
        ("a", 0.70, "0.1", "adam", "vision"),
        ("b", 0.90, "0.01", "adam", "vision"),
        ("c", 0.80, "0.01", "sgd", "nlp"),
        ("d", 0.95, "0.001", "sgd", "nlp"),
        ("e", 0.60, "0.1", "sgd", "vision"),
        ("f", float("nan"), "0.1", "adam", "nlp"),
    ]
    ids = {}
    for name, acc, lr, optimizer, team in specs:
        run = client.create_run(experiment["id"], run_name=name)
        client.log_batch(
            run.info.run_id,
            metrics=[Metric("acc", acc, 0, 0)],
            params=[Param("lr", lr), Param("optimizer", optimizer)],
            tags=[RunTag("team", team)],
        )
        client.set_terminated(run.info.run_id, "FAILED" if name == "e" else "FINISHED")
        ids[name] = run.info.run_id
    return ids


def _names(result):
    return [run.info.run_name for run in result]


def test_filters_on_metrics_params_tags_and_attributes(experiment, runs):
    search = lambda text: sorted(_names(MlflowClient().search_runs([experiment["id"]], filter_string=text)))
    assert search("metrics.acc > 0.75") == ["b", "c", "d", "f"]  # NaN compares above every number, as in MLflow
    assert search("params.lr = '0.01' and params.optimizer = 'sgd'") == ["c"]
    assert search("tags.team = 'nlp'") == ["c", "d", "f"]
    assert search("attributes.status = 'FAILED'") == ["e"]
    assert search("run_name LIKE 'a%'") == ["a"]
    assert search("params.optimizer ILIKE 'ADA%'") == ["a", "b", "f"]
    assert search(f"attributes.run_id IN ('{runs['a']}', '{runs['d']}')") == ["a", "d"]
    assert search("tags.missing IS NULL and metrics.acc < 0.65") == ["e"]
    assert search("params.lr = '0.1' OR (tags.team = 'nlp' AND metrics.acc >= 0.9)") == ["a", "d", "e", "f"]


def test_order_by_metric_puts_nan_last_and_fluent_search_returns_a_frame(experiment, runs):
    ordered = MlflowClient().search_runs([experiment["id"]], order_by=["metrics.acc DESC"])
    assert _names(ordered) == ["d", "b", "c", "a", "e", "f"]
    frame = mlflow.search_runs(filter_string="params.optimizer = 'adam'", order_by=["metrics.acc ASC"])
    assert list(frame["tags.mlflow.runName"]) == ["a", "b", "f"]
    assert list(frame["params.lr"]) == ["0.1", "0.01", "0.1"]


def test_paging_returns_every_run_exactly_once(experiment, runs):
    client = MlflowClient()
    seen = []
    token = None
    while True:
        page = client.search_runs([experiment["id"]], max_results=4, order_by=["attributes.run_name ASC"], page_token=token)
        seen += _names(page)
        token = page.token
        if not token:
            break
    assert seen == ["a", "b", "c", "d", "e", "f"]


def test_view_type_after_delete_and_restore(experiment, runs):
    client = MlflowClient()
    client.delete_run(runs["a"])
    assert "a" not in _names(client.search_runs([experiment["id"]]))
    assert _names(client.search_runs([experiment["id"]], run_view_type=ViewType.DELETED_ONLY)) == ["a"]
    assert len(client.search_runs([experiment["id"]], run_view_type=ViewType.ALL)) == 6
    client.restore_run(runs["a"])
    assert "a" in _names(client.search_runs([experiment["id"]]))


def test_bad_filter_is_a_clear_error(experiment, runs):
    with pytest.raises(MlflowException, match="INVALID_PARAMETER_VALUE|Invalid filter"):
        MlflowClient().search_runs([experiment["id"]], filter_string="metrics.acc >>> 1")


def test_search_experiments_with_filter_and_order(mlflow_env):
    client = MlflowClient()
    import uuid

    prefix = f"search-{uuid.uuid4().hex[:8]}"
    first = client.create_experiment(f"{prefix}-alpha", tags={"owner": "ada"})
    second = client.create_experiment(f"{prefix}-beta", tags={"owner": "alan"})
    found = client.search_experiments(filter_string=f"name LIKE '{prefix}%'", order_by=["name DESC"])
    assert [experiment.experiment_id for experiment in found] == [second, first]
    tagged = client.search_experiments(filter_string=f"name LIKE '{prefix}%' AND tags.owner = 'ada'")
    assert [experiment.name for experiment in tagged] == [f"{prefix}-alpha"]
    client.delete_experiment(first)
    deleted = client.search_experiments(view_type=ViewType.DELETED_ONLY, filter_string=f"name LIKE '{prefix}%'")
    assert [experiment.experiment_id for experiment in deleted] == [first]


def test_search_logged_models_by_name(experiment):
    from sklearn.linear_model import LinearRegression
    import numpy as np

    with mlflow.start_run():
        info = mlflow.sklearn.log_model(LinearRegression().fit(np.array([[0.0], [1.0]]), np.array([0.0, 1.0])), name="reg")
    found = mlflow.search_logged_models(experiment_ids=[experiment["id"]], filter_string="name = 'reg'", output_format="list")
    assert [model.model_id for model in found] == [info.model_id]


def test_search_logged_models_by_metric_scoped_to_a_dataset(experiment):
    import pandas as pd

    evaluation = mlflow.data.from_pandas(pd.DataFrame({"x": [1.0, 2.0]}), name="eval")
    with mlflow.start_run():
        strong = mlflow.initialize_logged_model(name="strong")
        weak = mlflow.initialize_logged_model(name="weak")
        mlflow.log_metric("acc", 0.93, model_id=strong.model_id, dataset=evaluation)
        mlflow.log_metric("acc", 0.71, model_id=weak.model_id, dataset=evaluation, step=1)
        mlflow.log_metric("acc", 0.99, model_id=weak.model_id, step=2)

    best_first = mlflow.search_logged_models(
        experiment_ids=[experiment["id"]],
        filter_string="metrics.acc > 0.9",
        order_by=[{"field_name": "metrics.acc", "ascending": False}],
        output_format="list",
    )
    assert [model.model_id for model in best_first] == [weak.model_id, strong.model_id]

    on_eval = mlflow.search_logged_models(
        experiment_ids=[experiment["id"]],
        filter_string="metrics.acc > 0.9",
        datasets=[{"dataset_name": "eval", "dataset_digest": evaluation.digest}],
        output_format="list",
    )
    assert [model.model_id for model in on_eval] == [strong.model_id]

    metrics = mlflow.get_logged_model(strong.model_id).metrics
    assert [(m.key, m.value, m.dataset_name, m.dataset_digest) for m in metrics] == [("acc", 0.93, "eval", evaluation.digest)]
