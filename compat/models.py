"""What the registry scenarios share: a tiny classifier, fresh model names, and MLflow's error code."""
import uuid

import numpy as np

FEATURES = np.array([[0.0, 1.0], [1.0, 0.0], [0.9, 0.1], [0.1, 0.8], [0.2, 0.9], [0.8, 0.3]])
LABELS = np.array([0, 1, 1, 0, 0, 1])


def fit_model(c=1.0, labels=LABELS):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c).fit(FEATURES, labels)


def model_name():
    return f"rm-{uuid.uuid4().hex[:10]}"


def error_code(error):
    return getattr(error, "error_code", None) or str(error).split(":")[0]
