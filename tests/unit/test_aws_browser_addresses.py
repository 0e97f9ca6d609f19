"""The S3 addresses a browser is given name the bucket's own region (no redirect, which a CORS upload
cannot follow), signed with SigV4; a configured endpoint (the local stack) is kept."""

from __future__ import annotations

import pytest
from offstage.aws.files import S3DirectUploads, S3FileStore


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")  # signing needs a key; nothing is sent


def test_an_upload_form_outside_us_east_1_posts_to_the_regional_host_with_sigv4() -> None:
    form = S3DirectUploads(bucket="offstage-files", region="eu-west-2").form(
        "uploads-of/a", content_type="application/pdf", max_bytes=10, seconds=60)
    assert form["url"] == "https://offstage-files.s3.eu-west-2.amazonaws.com/"
    assert form["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert "/eu-west-2/s3/aws4_request" in form["fields"]["x-amz-credential"]


def test_a_download_address_names_the_region_too() -> None:
    url = S3FileStore(bucket="offstage-files", region="ap-southeast-2").url("s/1", filename="a.pdf")
    assert url.startswith("https://offstage-files.s3.ap-southeast-2.amazonaws.com/files/s/1?")
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url


def test_the_local_stacks_endpoint_is_kept() -> None:
    form = S3DirectUploads(bucket="b", region="us-east-1", endpoint_url="http://127.0.0.1:5000").form(
        "k", content_type="image/png", max_bytes=10, seconds=60)
    assert form["url"].startswith("http://127.0.0.1:5000/")
