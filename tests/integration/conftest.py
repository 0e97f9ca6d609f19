"""Integration fixtures: the template's own tables, queues and bucket in moto."""

from __future__ import annotations

import os

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
