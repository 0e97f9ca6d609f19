"""The Converter port in AWS: a PDF made by the render function (RenderFunction), the one function whose
image has LibreOffice, for the zip functions (screens, check-ins, background tasks, cron) that have none.

A synchronous invoke. The file goes to S3 under assembly/convert/<id>/ (a Lambda request is at most
6 MB and a document may be bigger); the render function (offstage.app.conversion) writes the PDF beside
it; this reads it back and deletes both. The wait is bounded: by the time the screen or task has left
(engine.deadline) and by the render function's own conversion time. An error the render function reports
becomes a DocumentError that names the file and the problem, as a conversion here would.
"""

from __future__ import annotations

import json
import math
import uuid
from typing import Any

from offstage.documents import DocumentError

FOLDER = "assembly/convert"  # under assembly/: the bucket's 1-day lifecycle rule removes what is left
MARGIN_SECONDS = 10.0  # the render function's cold start and its S3 round trips, beyond LibreOffice's time


def folder_of(request_id: str) -> str:
    return f"{FOLDER}/{request_id}"


class LambdaConverter:
    def __init__(self, *, function_name: str, bucket: str, conversion_seconds: float, region: str = "us-east-1",
                 endpoint_url: str | None = None, s3: Any = None, lambda_client: Any = None) -> None:
        self.function_name, self.bucket = function_name, bucket
        self.max_seconds = conversion_seconds + MARGIN_SECONDS
        self.region, self.endpoint_url = region, endpoint_url
        self._s3 = s3
        self._lambda = lambda_client  # injected (tests): used whatever the wait
        self._clients: dict[int, Any] = {}  # read timeout in whole seconds -> a Lambda client with it

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            import boto3

            self._s3 = boto3.client("s3", region_name=self.region, endpoint_url=self.endpoint_url)
        return self._s3

    def to_pdf(self, data: bytes, *, name: str, extension: str, pdfa: bool = False, tagged: bool = False) -> bytes:
        if not extension.isalnum():
            raise DocumentError(f"{name}: {extension!r} is not a file type")
        seconds = math.floor(self.seconds_left())  # whole seconds: botocore's timeouts, and the message
        if seconds < 1:
            raise DocumentError(f"{name}: no time is left to make the PDF (the screen's time limit)")
        folder = folder_of(uuid.uuid4().hex)
        source, target = f"{folder}/in.{extension.lower()}", f"{folder}/out.pdf"
        self.s3.put_object(Bucket=self.bucket, Key=source, Body=data)
        try:
            self._invoke({"step": "convert", "folder": folder, "extension": extension.lower(), "name": name,
                          "pdfa": pdfa, "tagged": tagged}, seconds, name)
            return self._read(target, name)
        finally:
            self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": source}, {"Key": target}],
                                                                "Quiet": True})

    def seconds_left(self) -> float:
        """How long to wait for the render function: what the current time limit leaves, at most the
        render function's own bound."""
        from offstage.engine import deadline

        # each limit less a moment, to clean up and report the failure before the limit stops the work
        limits = [left - 1.0 for left in (deadline.remaining(), deadline.invocation_left()) if left is not None]
        return min([self.max_seconds, *limits])

    def _invoke(self, request: dict[str, Any], seconds: int, name: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

        try:
            answer = self._client(seconds).invoke(FunctionName=self.function_name, InvocationType="RequestResponse",
                                                  Payload=json.dumps(request).encode("utf-8"))
        except (ReadTimeoutError, ConnectTimeoutError):
            raise DocumentError(f"{name}: the render function did not make the PDF within {seconds} s") from None
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise DocumentError(f"{name}: the render function could not be called "
                                f"({error.get('Code', 'error')}: {error.get('Message', '')})") from None
        except BotoCoreError as exc:
            raise DocumentError(f"{name}: the render function could not be called ({exc})") from None
        payload = answer["Payload"].read()
        if answer.get("FunctionError"):
            problem = _reported(payload)
            if problem.startswith(f"{name}: "):  # the conversion's own DocumentError: it names the file already
                raise DocumentError(f"{problem} (in the render function)")
            raise DocumentError(f"{name}: the render function could not make the PDF ({problem})")

    def _read(self, key: str, name: str) -> bytes:
        try:
            pdf = bytes(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())
        except self.s3.exceptions.NoSuchKey:
            raise DocumentError(f"{name}: the render function finished but wrote no PDF") from None
        if not pdf.startswith(b"%PDF"):
            raise DocumentError(f"{name}: the render function wrote something that is not a PDF")
        return pdf

    def _client(self, whole: int) -> Any:
        if self._lambda is not None:
            return self._lambda
        client = self._clients.get(whole)
        if client is None:
            import boto3
            from botocore.config import Config

            # no retry: a second try could not finish within the same limit, and a conversion is not cheap
            config = Config(read_timeout=whole, connect_timeout=min(5, whole), retries={"total_max_attempts": 1})
            client = boto3.client("lambda", region_name=self.region, endpoint_url=self.endpoint_url, config=config)
            self._clients[whole] = client
        return client


def _reported(payload: bytes) -> str:
    """The render function's error as Lambda reports it ({"errorType", "errorMessage"}), in words."""
    try:
        error = json.loads(payload)
    except ValueError:
        return payload[:300].decode("utf-8", "replace") or "no reason given"
    if not isinstance(error, dict):
        return str(error)[:300]
    message = str(error.get("errorMessage") or "no reason given")
    kind = str(error.get("errorType") or "")
    if "timed out" in message.lower() or kind.startswith("Sandbox.Timedout"):
        return f"it ran out of time: {message}"
    return message[:500]
