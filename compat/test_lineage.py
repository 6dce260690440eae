"""Lineage as the real mlflow client builds it: pandas datasets logged with `log_input` and a context,
a model logged and registered in the same run, an alias set on the version; then the REST impact
query from the training data reaches the version and marks the alias it holds, and the upstream walk
from the alias reaches the data. A pipeline run that logs its output dataset (context `output`) joins
the chain upstream of the training run."""
import mlflow
import pandas as pd
import requests
from mlflow import MlflowClient
from models import FEATURES, LABELS, fit_model, model_name


def _frame(offset=0.0):
    return pd.DataFrame({"x1": FEATURES[:, 0] + offset, "x2": FEATURES[:, 1], "label": LABELS})


def _get(tally, slug, path, **params):
    response = requests.get(
        f"{tally['url']}/api/v1/projects/{slug}/lineage/{path}",
        params=params,
        headers={"authorization": f"Bearer {tally['projects'][slug]['read_token']}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_impact_of_a_training_dataset_reaches_the_registered_version_and_its_alias(tally, experiment):
    name = model_name()
    raw = mlflow.data.from_pandas(_frame(1.0), source="s3://compat-lake/raw.parquet", name=f"{name}-raw")
    train = mlflow.data.from_pandas(_frame(), source="s3://compat-lake/train.parquet", name=f"{name}-train", targets="label")
    holdout = mlflow.data.from_pandas(_frame(0.5), source="s3://compat-lake/holdout.parquet", name=f"{name}-holdout")

    with mlflow.start_run(run_name="prepare") as prepare:
        mlflow.log_input(raw, context="input")
        mlflow.log_input(train, context="output")
    with mlflow.start_run(run_name="train") as training:
        mlflow.log_input(train, context="training")
        mlflow.log_input(holdout, context="evaluation")
        mlflow.sklearn.log_model(fit_model(), name="model", registered_model_name=name)
    MlflowClient().set_registered_model_alias(name, "challenger", "1")

    impact = _get(tally, "compat", "impact", dataset=train.name, digest=train.digest)
    assert [item["node"]["id"] for item in impact["runs"]] == [f"run:{training.info.run_id}"]
    assert len(impact["logged_models"]) == 1
    versions = impact["model_versions"]
    assert [(item["node"]["id"], item["holders"]) for item in versions] == [(f"version:{name}/1", [{"kind": "alias", "name": "challenger"}])]
    assert versions[0]["path"][0] == f"dataset:{train.name}@{train.digest}"
    assert versions[0]["path"][1] == f"run:{training.info.run_id}"
    assert impact["holding"] == 1

    upstream = _get(tally, "compat", "upstream", node=f"alias:{name}@challenger", depth=10)
    ids = {node["id"] for node in upstream["nodes"]}
    assert {
        f"dataset:{raw.name}@{raw.digest}",
        f"run:{prepare.info.run_id}",
        f"dataset:{train.name}@{train.digest}",
        f"run:{training.info.run_id}",
        f"dataset:{holdout.name}@{holdout.digest}",
    } <= ids
    edges = {(edge["from"], edge["kind"], edge["context"], edge["to"]) for edge in upstream["edges"]}
    assert (f"dataset:{train.name}@{train.digest}", "input", "training", f"run:{training.info.run_id}") in edges
    assert (f"run:{prepare.info.run_id}", "output", None, f"dataset:{train.name}@{train.digest}") in edges
