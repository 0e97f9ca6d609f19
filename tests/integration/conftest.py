"""Integration fixtures: the template's own tables, queues and bucket in moto."""

from __future__ import annotations

import os
import threading

import pytest


@pytest.fixture
def aws(monkeypatch):
    """moto in-process with template.yaml's resources created; yields their local names."""
    from moto import mock_aws

    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        import boto3
        from offstage.local.resources import create_resources, template

        yield create_resources(template(), boto3.Session(region_name="us-east-1"))
    os.environ.pop("AWS_ENDPOINT_URL", None)


@pytest.fixture
def atomic_requests(monkeypatch):
    """Each AWS request happens at once, as in AWS: moto checks a condition and writes without a lock,
    so concurrent threads could both pass one condition; here requests interleave but never overlap."""
    import botocore.client

    lock = threading.RLock()
    real = botocore.client.BaseClient._make_api_call

    def one_at_a_time(self, operation, params):
        with lock:
            return real(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", one_at_a_time)
