"""The SQS event source mapping of the local stack: a thread that feeds queue messages to a handler.

moto's own SQS -> Lambda mapping fires once, inside SendMessage, and ignores `batchItemFailures`, so
the local stack runs this instead. It does what Lambda's poller does, as far as a handler can tell:

- long-polls the queue, gathers up to BatchSize messages within MaximumBatchingWindowInSeconds;
- runs up to `concurrency` invocations at once (the function's environments), so a batch stuck in
  a runaway task does not hold up the messages that arrive after it;
- invokes the handler in-process with a real SQS event (messageId, receiptHandle, body, attributes with
  ApproximateReceiveCount, messageAttributes, eventSourceARN ...) and a Lambda context whose remaining
  time counts down from the function's Timeout;
- deletes the records that succeeded; with ReportBatchItemFailures only the listed ones stay, and a
  handler that raises (or answers with an unknown id) fails the whole batch, as Lambda does;
- failed records become visible again after `retry_seconds` (ChangeMessageVisibility: the template's
  720 s would make local retries very slow). Receiving still counts, so moto's redrive moves a message
  to the dead-letter queue after maxReceiveCount receives, exactly as SQS does.

The settings are read from the template's function (`Events: {Type: SQS}`) by `from_template`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class Mapping:
    """One event source mapping: which queue feeds which function, and how."""

    queue_url: str
    queue_arn: str
    function_name: str = "BackgroundFunction"
    batch_size: int = 10
    batching_window: float = 0.0  # MaximumBatchingWindowInSeconds
    report_batch_item_failures: bool = True
    function_timeout: float = 120.0
    memory_mb: int = 512
    region: str = "us-east-1"
    retry_seconds: int = 1  # how long a failed record stays hidden locally before its next receive
    wait_seconds: int = 1  # long-poll wait of each ReceiveMessage
    concurrency: int = 1  # invocations at once (Lambda scales its pollers up to the reserved concurrency)


class LambdaContext:
    """What a handler reads from its context; the remaining time counts down from the timeout."""

    def __init__(self, mapping: Mapping) -> None:
        self.function_name = mapping.function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = mapping.memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:{mapping.region}:123456789012:function:{mapping.function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{mapping.function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + mapping.function_timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class SqsPoller:
    """Polls one queue for one handler; start()/stop() let the local stack run it as a service."""

    def __init__(self, mapping: Mapping, handler: Handler, sqs: Any) -> None:
        self.mapping = mapping
        self.handler = handler
        self.sqs = sqs
        self.invocations = 0
        self._count_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._slots = threading.BoundedSemaphore(max(1, mapping.concurrency))
        self._inflight: set[threading.Thread] = set()

    # --- service API (LocalStack.add_service) ---

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=f"sqs-poller-{self.mapping.function_name}",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        ends = time.monotonic() + timeout
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with self._count_lock:
            inflight = list(self._inflight)
        for worker in inflight:  # invocations under way finish (a runaway one is left behind: a daemon)
            worker.join(max(0.0, ends - time.monotonic()))

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._slots.acquire(timeout=0.5):
                continue  # every invocation slot is busy: receive nothing until one is free
            try:
                messages = self._receive_batch()
            except Exception:  # the emulator keeps polling, like Lambda's poller
                self._slots.release()
                log.exception("the %s poller failed; polling again", self.mapping.function_name)
                self._stop.wait(1.0)
                continue
            if not messages:
                self._slots.release()
                continue
            worker = threading.Thread(target=self._settle_in_slot, args=(messages,), daemon=True,
                                      name=f"sqs-invoke-{self.mapping.function_name}")
            with self._count_lock:
                self._inflight.add(worker)
            worker.start()

    def _settle_in_slot(self, messages: list[dict[str, Any]]) -> None:
        try:
            self._settle(messages)
        except Exception:  # as above: log, and keep the slot usable
            log.exception("the %s poller failed to settle a batch", self.mapping.function_name)
        finally:
            with self._count_lock:
                self._inflight.discard(threading.current_thread())
            self._slots.release()

    # --- one round ---

    def poll_once(self) -> int:
        """Receive one batch, invoke the handler, settle each record; returns how many records it had."""
        messages = self._receive_batch()
        if not messages:
            return 0
        self._settle(messages)
        return len(messages)

    def _settle(self, messages: list[dict[str, Any]]) -> None:
        """Invoke the handler with the batch; delete the records that succeeded, retry the others."""
        failed = self._invoke(messages)
        for message in messages:
            if message["MessageId"] in failed:
                self._retry_later(message)
            else:
                self.sqs.delete_message(QueueUrl=self.mapping.queue_url, ReceiptHandle=message["ReceiptHandle"])

    def _receive_batch(self) -> list[dict[str, Any]]:
        """Long-poll for a first message, then gather more until the batch is full or the window ends."""
        batch = self._receive(self.mapping.wait_seconds, self.mapping.batch_size)
        if not batch:
            return batch
        window_ends = time.monotonic() + self.mapping.batching_window
        while len(batch) < self.mapping.batch_size and not self._stop.is_set():
            remaining = window_ends - time.monotonic()
            if remaining <= 0:
                break
            batch.extend(self._receive(max(1, round(remaining)), self.mapping.batch_size - len(batch)))
        return batch

    def _receive(self, wait: int, most: int) -> list[dict[str, Any]]:
        response = self.sqs.receive_message(QueueUrl=self.mapping.queue_url, MaxNumberOfMessages=min(10, most),
                                            WaitTimeSeconds=min(20, wait), AttributeNames=["All"],
                                            MessageAttributeNames=["All"])
        return list(response.get("Messages", []))

    def _invoke(self, messages: list[dict[str, Any]]) -> set[str]:
        """The ids of the records that failed in this invocation."""
        ids = {m["MessageId"] for m in messages}
        with self._count_lock:
            self.invocations += 1
        try:
            response = self.handler(self.event(messages), LambdaContext(self.mapping))
        except Exception:  # an invocation error fails the whole batch, as in Lambda
            log.exception("%s failed on a batch of %d", self.mapping.function_name, len(ids))
            return ids
        if not self.mapping.report_batch_item_failures:
            return set()
        failures = (response or {}).get("batchItemFailures") if isinstance(response, dict) else None
        listed = {str(f.get("itemIdentifier")) for f in failures or [] if isinstance(f, dict)}
        if not listed <= ids or any(not f.get("itemIdentifier") for f in failures or [] if isinstance(f, dict)):
            log.error("%s reported unknown batch item failures %s: the whole batch fails",
                      self.mapping.function_name, sorted(listed - ids))
            return ids
        return listed

    def _retry_later(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(Exception):  # a receipt that expired already: SQS shows the message anyway
            self.sqs.change_message_visibility(QueueUrl=self.mapping.queue_url,
                                               ReceiptHandle=message["ReceiptHandle"],
                                               VisibilityTimeout=self.mapping.retry_seconds)

    def event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """The SQS event Lambda would pass for these messages."""
        return {"Records": [self._record(m) for m in messages]}

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        attributes = dict(message.get("Attributes") or {})
        attributes.setdefault("ApproximateReceiveCount", "1")
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message.get("Body", ""),
            "attributes": attributes,
            "messageAttributes": {name: _message_attribute(value)
                                  for name, value in (message.get("MessageAttributes") or {}).items()},
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.mapping.queue_arn,
            "awsRegion": self.mapping.region,
        }


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    return {"stringValue": value.get("StringValue"), "binaryValue": value.get("BinaryValue"),
            "stringListValues": value.get("StringListValues", []), "binaryListValues": value.get("BinaryListValues", []),
            "dataType": value.get("DataType", "String")}


# --- from the template ----------------------------------------------------------------------------

@dataclass
class SqsSource:
    """What the template says about one function's SQS event."""

    function: str
    queue: str  # the queue's logical id
    handler: str  # module.function
    code_uri: str
    batch_size: int
    batching_window: float
    report_batch_item_failures: bool
    timeout: float
    memory_mb: int


def sqs_sources(template: dict[str, Any]) -> list[SqsSource]:
    """Every (function, SQS event) pair of a SAM template, with Globals applied."""
    defaults = (template.get("Globals") or {}).get("Function") or {}
    found = []
    for name, resource in (template.get("Resources") or {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = {**defaults, **(resource.get("Properties") or {})}
        for event in (props.get("Events") or {}).values():
            if event.get("Type") != "SQS":
                continue
            ev = event.get("Properties") or {}
            found.append(SqsSource(
                function=name, queue=_logical_id(ev.get("Queue")), handler=str(props.get("Handler", "app.handler")),
                code_uri=str(props.get("CodeUri", ".")), batch_size=int(ev.get("BatchSize", 10)),
                batching_window=float(ev.get("MaximumBatchingWindowInSeconds", 0)),
                report_batch_item_failures="ReportBatchItemFailures" in (ev.get("FunctionResponseTypes") or []),
                timeout=float(props.get("Timeout", 3)), memory_mb=int(props.get("MemorySize", 128))))
    return found


def _logical_id(ref: Any) -> str:
    """BackgroundQueue out of !GetAtt BackgroundQueue.Arn, {'Fn::GetAtt': [...]} or {'Ref': ...}."""
    if isinstance(ref, dict):
        ref = ref.get("Fn::GetAtt") or ref.get("Ref") or ""
    if isinstance(ref, list | tuple):
        ref = ref[0] if ref else ""
    return str(ref).split(".", 1)[0]


def load_template(path: str | Path) -> dict[str, Any]:
    """template.yaml as plain data (the local stack's one reader of it)."""
    from offstage.local.template import load

    return load(path)


def load_handler(root: Path, source: SqsSource) -> Handler:
    """The function's handler, imported from CodeUri like Lambda does (module.function)."""
    from offstage.local.invoke import load_handler as load

    return cast("Callable[[dict[str, Any], Any], Any]", load(root, source.function, source.code_uri, source.handler))


def attach_poller(stack: Any, template: str | Path | None = None, *, retry_seconds: int = 1) -> list[SqsPoller]:
    """Add a poller for every SQS event of the template's functions to the local stack (started with it).

    The stack gives the AWS endpoint (`stack.endpoint`) and the functions' environment (`stack.env`,
    applied with setdefault so the stack's own values win); the queues are found by logical id.
    """
    import os

    root, template_path = _template_location(stack, template)
    data = load_template(template_path)
    sqs = _sqs_client(stack)
    for key, value in (getattr(stack, "env", None) or {}).items():
        os.environ.setdefault(str(key), str(value))
    pollers = []
    for source in sqs_sources(data):
        queue_url = _queue_url(stack, sqs, source.queue)
        arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        mapping = Mapping(queue_url=queue_url, queue_arn=arn, function_name=source.function,
                          batch_size=source.batch_size, batching_window=source.batching_window,
                          report_batch_item_failures=source.report_batch_item_failures,
                          function_timeout=source.timeout, memory_mb=source.memory_mb,
                          region=sqs.meta.region_name, retry_seconds=retry_seconds,
                          concurrency=_concurrency(stack, source.function))
        poller = SqsPoller(mapping, _handler_for(stack, root, source), sqs)
        stack.add_service(poller)
        pollers.append(poller)
    return pollers


def _concurrency(stack: Any, function: str) -> int:
    """As many invocations at once as the stack gives the function environments (1 without a stack)."""
    count = getattr(stack, "environment_count", None)
    return int(count(function)) if callable(count) else 1


def _template_location(stack: Any, template: str | Path | None) -> tuple[Path, Path]:
    for candidate in (template, getattr(stack, "template_path", None), getattr(stack, "template", None)):
        if isinstance(candidate, str | Path) and Path(candidate).is_file():
            path = Path(candidate).resolve()
            return path.parent, path
    root = Path(getattr(stack, "root", None) or Path(__file__).resolve().parents[4])
    return root, root / "template.yaml"


def _sqs_client(stack: Any) -> Any:
    client = getattr(stack, "client", None)
    if callable(client):
        return client("sqs")
    import boto3

    return boto3.client("sqs", endpoint_url=getattr(stack, "endpoint", None),
                        region_name=(getattr(stack, "env", None) or {}).get("AWS_DEFAULT_REGION", "us-east-1"),
                        aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - moto's dummy credentials for the local stack


def _queue_url(stack: Any, sqs: Any, logical_id: str) -> str:
    """The queue's URL: from the stack's resource map when it has one, else by name."""
    for attribute in ("physical_ids", "resources"):
        known = getattr(stack, attribute, None)
        value = known.get(logical_id) if isinstance(known, dict) else None
        if isinstance(value, str) and value.startswith("http"):
            return value
        if isinstance(value, str):
            return cast("str", sqs.get_queue_url(QueueName=value.rsplit("/", 1)[-1].rsplit(":", 1)[-1])["QueueUrl"])
    urls = sqs.list_queues().get("QueueUrls", [])
    exact = [u for u in urls if u.rsplit("/", 1)[-1] == logical_id]
    named = exact or [u for u in urls if logical_id in u.rsplit("/", 1)[-1]]
    if not named:
        raise LookupError(f"the local stack has no queue for {logical_id}")
    return cast("str", min(named, key=len))  # BackgroundQueue rather than BackgroundQueueDLQ


def _handler_for(stack: Any, root: Path, source: SqsSource) -> Handler:
    own = getattr(stack, "handler_for", None)  # the stack's own in-process loader, when it has one
    return own(source.function) if callable(own) else load_handler(root, source)
