"""A training loop as the real `mlflow` client runs it: one run, then BATCHES log_batch calls of
METRICS points each (step = batch number), printing "ACK <batch>" once the server has acknowledged
a batch and "DONE" at the end. The client's own retries (MLFLOW_HTTP_REQUEST_* settings) carry it
over server restarts.

Usage: python mlflow_log_batches.py BATCHES METRICS PAUSE_SECONDS
"""
import sys
import time
import uuid

from mlflow import MlflowClient
from mlflow.entities import Metric

batches, metrics, pause = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
client = MlflowClient()
experiment_id = client.create_experiment(f"crash-{uuid.uuid4().hex[:10]}")
run_id = client.create_run(experiment_id).info.run_id
print(f"RUN {run_id}", flush=True)
for batch in range(batches):
    timestamp = 1_700_000_000_000 + batch
    client.log_batch(run_id, metrics=[Metric(f"m{k}", float(batch * metrics + k), timestamp, batch) for k in range(metrics)])
    print(f"ACK {batch}", flush=True)
    time.sleep(pause)
print("DONE", flush=True)
