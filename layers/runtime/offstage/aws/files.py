"""A session's files (documents, uploads) in S3 under files/<session id>/; browsers get them through the
app's download route (offstage.http.browser), which checks that the session is theirs."""

from __future__ import annotations

from typing import Any, cast

from offstage.aws.client import ClientAdapter


class _BrowserFacing(ClientAdapter):
    """S3 addresses a browser is sent to: the bucket's regional host, signed with SigV4. boto3's default
    (bucket.s3.amazonaws.com) answers a bucket outside us-east-1 with a redirect, which a CORS upload
    cannot follow and a signature does not survive."""

    def __init__(self, *, client: Any = None, region: str = "us-east-1", endpoint_url: str | None = None) -> None:
        super().__init__(client=client, region=region,
                         endpoint_url=endpoint_url or f"https://s3.{region}.amazonaws.com")

    def client_config(self) -> Any:
        from botocore.config import Config

        return Config(signature_version="s3v4", s3={"addressing_style": "virtual"})


class S3FileStore(_BrowserFacing):
    service = "s3"

    def __init__(self, *, bucket: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None, url_seconds: int = 3600) -> None:
        self.bucket = bucket
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)
        self.url_seconds = url_seconds

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=f"files/{key}", Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        try:
            return cast("bytes", self.client.get_object(Bucket=self.bucket, Key=f"files/{key}")["Body"].read())
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None

    def url(self, key: str, filename: str | None = None) -> str:
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": f"files/{key}"}
        if filename:
            params["ResponseContentDisposition"] = f'inline; filename="{filename}"'
        return cast("str", self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=self.url_seconds))


class S3DirectUploads(_BrowserFacing):
    """Files a browser sends straight to S3 (too big to pass through the function), under uploads/<key>.

    The app signs a POST form for one exact key, with the size range and type S3 must enforce; the
    screen that names the key then reads the object once and deletes it (a lifecycle rule in
    template.yaml removes the ones never named)."""

    service = "s3"
    PREFIX = "uploads/"

    def __init__(self, *, bucket: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None) -> None:
        self.bucket = bucket
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)

    def form(self, key: str, *, content_type: str, max_bytes: int, seconds: int) -> dict[str, Any]:
        """{"url", "fields"} of a presigned POST for this key only, 1 to max_bytes bytes of this type."""
        return cast("dict[str, Any]", self.client.generate_presigned_post(
            Bucket=self.bucket, Key=self.PREFIX + key, Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=seconds))

    def size(self, key: str) -> int | None:
        """The uploaded object's size; None when there is none (never sent, taken, or expired)."""
        from botocore.exceptions import ClientError

        try:
            found = self.client.head_object(Bucket=self.bucket, Key=self.PREFIX + key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(found["ContentLength"])

    def take(self, key: str) -> bytes:
        """The object's bytes, deleted from the bucket as it is read (each upload is named once)."""
        try:
            data = cast("bytes", self.client.get_object(Bucket=self.bucket, Key=self.PREFIX + key)["Body"].read())
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None
        self.client.delete_object(Bucket=self.bucket, Key=self.PREFIX + key)
        return data
