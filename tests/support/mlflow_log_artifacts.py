"""Logs artifacts of the given sizes to a new run with the real `mlflow` client, in order. Prints
"STORED <name>" or "REFUSED <name>: <error>" for each, then "LISTED <json list of the run's files>".

Usage: python mlflow_log_artifacts.py NAME=BYTES [NAME=BYTES ...]
"""
import json
import os
import sys
import tempfile
import uuid

from mlflow import MlflowClient

client = MlflowClient()
run_id = client.create_run(client.create_experiment(f"artifacts-{uuid.uuid4().hex[:10]}")).info.run_id
with tempfile.TemporaryDirectory() as folder:
    for argument in sys.argv[1:]:
        name, size = argument.split("=")
        path = os.path.join(folder, name)
        with open(path, "wb") as file:
            file.write(os.urandom(int(size)))
        try:
            client.log_artifact(run_id, path)
            print(f"STORED {name}", flush=True)
        except Exception as error:  # whatever the client raises is what a user sees
            print(f"REFUSED {name}: {error}", flush=True)
print("LISTED " + json.dumps(sorted(entry.path for entry in client.list_artifacts(run_id))), flush=True)
