"""Gated promotions as the real mlflow client meets them. Under the default approval policy, stage
Production and alias `champion` need an owner's approval: a `promote` token's move answers
PERMISSION_DENIED with the waiting request's URL and moves nothing; once the owner, signed in,
approves that request, the client loads the version by stage or alias. A token without `promote`
is refused the same way and no request is made."""
import re

import mlflow
import numpy as np
import pytest
import requests
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from models import FEATURES, LABELS, error_code, fit_model, model_name


def _register_two_versions(name):
    """Version 1 and version 2 predict opposite labels, so a load shows which one it got."""
    candidate, other = fit_model(), fit_model(labels=1 - LABELS)
    assert not np.array_equal(candidate.predict(FEATURES), other.predict(FEATURES))
    for model in (candidate, other):
        with mlflow.start_run():
            mlflow.sklearn.log_model(model, name="model", registered_model_name=name)
    return candidate


def _pending_request_id(refused, tally, slug):
    """The id in the URL the refusal ends with, checked to be the project's request page."""
    assert error_code(refused) == "PERMISSION_DENIED", refused
    found = re.search(rf"{re.escape(tally['url'])}/projects/{slug}/requests/([A-Za-z0-9_-]+)$", refused.message)
    assert found, refused.message
    return found.group(1)


def _owner_session(tally):
    """The project's owner signed in with their password through next-auth's credentials flow."""
    session = requests.Session()
    csrf = session.get(f"{tally['url']}/api/auth/csrf", timeout=30).json()["csrfToken"]
    signed_in = session.post(
        f"{tally['url']}/api/auth/callback/credentials",
        data={"email": tally["owner"]["email"], "password": tally["owner"]["password"], "csrfToken": csrf},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_in.status_code in (302, 303), signed_in.text
    assert any("session-token" in cookie.name for cookie in session.cookies), "the sign-in set no session cookie"
    return session


def _approve(tally, slug, request_id):
    """`promotions.decide` as the web app sends it: a same-origin tRPC mutation with superjson's shape."""
    response = _owner_session(tally).post(
        f"{tally['url']}/api/trpc/promotions.decide",
        json={"json": {"projectSlug": slug, "id": request_id, "decision": "APPROVE", "comment": "Reviewed the evidence"}},
        headers={"origin": tally["url"]},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]["data"]["json"]


def _requests_for(tally, slug, name):
    """The model's promotion requests, read through the REST API with a read token."""
    response = requests.get(
        f"{tally['url']}/api/v1/projects/{slug}/promotion-requests",
        params={"model": name},
        headers={"authorization": f"Bearer {tally['projects'][slug]['read_token']}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["requests"]


@pytest.fixture()
def promote_token(mlflow_env, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", mlflow_env["promote_token"])


def test_production_waits_for_the_owners_approval_then_loads_by_stage(tally, experiment, promote_token):
    name = model_name()
    candidate = _register_two_versions(name)
    client = MlflowClient()

    with pytest.raises(MlflowException) as refused:
        client.transition_model_version_stage(name, "1", "Production")
    request_id = _pending_request_id(refused.value, tally, "compat")
    assert client.get_model_version(name, "1").current_stage == "None"
    assert client.get_latest_versions(name, stages=["Production"]) == []
    [pending] = _requests_for(tally, "compat", name)
    assert (pending["id"], pending["state"], pending["version"], pending["target"]) == (request_id, "PENDING", 1, {"stage": "Production"})

    assert _approve(tally, "compat", request_id)["state"] == "APPROVED"
    assert [v.version for v in client.get_latest_versions(name, stages=["Production"])] == ["1"]
    production = mlflow.pyfunc.load_model(f"models:/{name}/Production")
    assert np.array_equal(production.predict(FEATURES), candidate.predict(FEATURES))


def test_champion_waits_for_the_owners_approval_then_loads_by_alias(tally, experiment, promote_token):
    name = model_name()
    candidate = _register_two_versions(name)
    client = MlflowClient()

    with pytest.raises(MlflowException) as refused:
        client.set_registered_model_alias(name, "champion", "1")
    request_id = _pending_request_id(refused.value, tally, "compat")
    assert client.get_registered_model(name).aliases == {}
    with pytest.raises(MlflowException) as unset:
        client.get_model_version_by_alias(name, "champion")
    assert error_code(unset.value) == "RESOURCE_DOES_NOT_EXIST"

    assert _approve(tally, "compat", request_id)["state"] == "APPROVED"
    assert client.get_model_version_by_alias(name, "champion").version == "1"
    champion = mlflow.pyfunc.load_model(f"models:/{name}@champion")
    assert np.array_equal(champion.predict(FEATURES), candidate.predict(FEATURES))


def test_a_write_token_is_refused_gated_targets_and_no_request_is_made(tally, experiment):
    name = model_name()
    _register_two_versions(name)
    client = MlflowClient()

    for move in (
        lambda: client.transition_model_version_stage(name, "1", "Production"),
        lambda: client.set_registered_model_alias(name, "champion", "1"),
    ):
        with pytest.raises(MlflowException) as refused:
            move()
        assert error_code(refused.value) == "PERMISSION_DENIED"
        assert "promote scope" in refused.value.message and "/requests/" not in refused.value.message
    assert client.get_latest_versions(name, stages=["Production"]) == []
    assert client.get_registered_model(name).aliases == {}
    assert _requests_for(tally, "compat", name) == []
