"""A session's files (documents, uploads) in S3 under files/<session id>/; browsers get them through the
app's download route (offstage.http.browser), which checks that the session is theirs."""

from __future__ import annotations

from typing import Any, cast

from offstage.aws.client import ClientAdapter


class S3FileStore(ClientAdapter):
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
