"""The one way an adapter gets its boto3 client: injected (tests, the local stack) or built on first use.

Building it lazily keeps boto3's import (~100 ms) and client creation off a function's cold start for
requests that never reach that service.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ClientAdapter:
    service: ClassVar[str]  # boto3's service name, e.g. "sqs"

    def __init__(self, *, client: Any = None, region: str = "us-east-1", endpoint_url: str | None = None) -> None:
        self._client = client
        self.region, self.endpoint_url = region, endpoint_url

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client(self.service, region_name=self.region, endpoint_url=self.endpoint_url,
                                        config=self.client_config())
        return self._client

    def client_config(self) -> Any:
        """botocore settings of the client (None: the defaults)."""
        return None
