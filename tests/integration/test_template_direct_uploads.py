"""template.yaml's part of direct uploads: the presign route, the bucket's CORS rule and lifecycle rule
for uploads/, least-privilege access to that prefix, and the limits as parameters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from offstage.local.resources import http_routes, template

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data():
    return template(REPO / "template.yaml")


def test_the_presign_route_is_the_screen_functions(data):
    routes = {(m, p): f for m, p, f in http_routes(data)}
    assert routes[("POST", "/interview/upload")] == "ScreenFunction"


def test_the_bucket_lets_only_the_pages_origin_post_and_forgets_untaken_uploads(data):
    bucket = data["Resources"]["PayloadBucket"]["Properties"]
    (rule,) = bucket["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    origin = json.dumps(rule["AllowedOrigins"])
    assert "UploadOrigin" in origin
    assert "execute-api" in origin  # the API's own URL when no origin is configured
    (expiry,) = [r for r in bucket["LifecycleConfiguration"]["Rules"] if r.get("Prefix") == "uploads/"]
    assert expiry["ExpirationInDays"] == 1
    assert expiry["Status"] == "Enabled"


def test_interview_functions_reach_uploads_by_key_only(data):
    statements = data["Resources"]["InterviewDataPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (direct,) = [s for s in statements if s["Sid"] == "DirectUploads"]
    assert sorted(direct["Action"]) == ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    assert json.dumps(direct["Resource"]).endswith('/uploads/*"}')


def test_the_limits_are_parameters_every_function_gets(data):
    parameters = data["Parameters"]
    assert parameters["MaxDirectUploadBytes"]["Default"] == 16_777_216  # docassemble's 16 MiB
    assert parameters["DirectUploadOverBytes"]["Default"] == 4_000_000
    variables = data["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["MAX_DIRECT_UPLOAD_BYTES"] == {"Ref": "MaxDirectUploadBytes"}
    assert variables["DIRECT_UPLOAD_OVER_BYTES"] == {"Ref": "DirectUploadOverBytes"}
