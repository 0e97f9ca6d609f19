"""The small AWS adapters (S3 files, SES mail, SQS queue) and the wiring that builds them from settings."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import boto3
import pytest
from offstage import settings as settings_module
from offstage.aws import wiring
from offstage.aws.files import S3FileStore
from offstage.aws.mailer import DisabledMailer, SesMailer
from offstage.aws.queue import SqsTaskQueue
from offstage.ports import QueuedTask

INTERVIEWS = Path(__file__).resolve().parents[2] / "layers" / "interviews" / "interviews"


def test_files_round_trip_and_get_a_presigned_url(aws):
    files = S3FileStore(bucket=aws.names["PayloadBucket"])
    files.put("doc/letter.pdf", b"%PDF-1.4 letter", "application/pdf")
    assert files.get("doc/letter.pdf") == b"%PDF-1.4 letter"
    url = urllib.parse.urlsplit(files.url("doc/letter.pdf", filename="Letter.pdf"))
    query = urllib.parse.parse_qs(url.query)
    assert url.path.endswith("/files/doc/letter.pdf")
    assert "Signature" in query or "X-Amz-Signature" in query
    assert query["response-content-disposition"] == ['inline; filename="Letter.pdf"']


def test_mail_from_a_verified_sender_is_sent_and_a_rejected_one_reports_false(aws):
    boto3.client("ses").verify_email_identity(EmailAddress="office@example.com")
    mailer = SesMailer(sender="office@example.com")
    assert mailer.send(to=["client@example.com"], subject="Hello", body_text="Hi", body_html="<p>Hi</p>") is True
    assert mailer.send(to=["client@example.com"], subject="Hello", body_text="Hi",
                       sender="stranger@example.org") is False


def test_mail_with_attachments_goes_as_mime_and_carries_each_file(aws):
    # SES's Simple content cannot carry files: a mail with attachments is sent as Raw MIME, never without them
    import email

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses import ses_backends

    boto3.client("ses").verify_email_identity(EmailAddress="office@example.com")
    mailer = SesMailer(sender="office@example.com")
    files = [{"filename": "letter.pdf", "mimetype": "application/pdf", "data": b"%PDF-1.4 the letter"},
             {"filename": "notes.txt", "mimetype": "text/plain", "data": b"plain notes"}]
    assert mailer.send(to=["client@example.com"], subject="Your forms", body_text="Attached.",
                       body_html="<p>Attached.</p>", cc=["cc@example.com"], bcc=["hidden@example.com"],
                       attachments=files) is True
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages[-1]
    message = email.message_from_bytes(sent.raw_data.encode() if isinstance(sent.raw_data, str) else sent.raw_data)
    assert message["Subject"] == "Your forms"
    assert message["Cc"] == "cc@example.com"
    assert message["Bcc"] is None  # delivered from the destination list, never shown to the others
    parts = {part.get_filename(): part.get_payload(decode=True) for part in message.walk() if part.get_filename()}
    assert parts == {"letter.pdf": b"%PDF-1.4 the letter", "notes.txt": b"plain notes"}


def test_without_a_sender_mail_is_refused_with_a_logged_reason(caplog):
    assert DisabledMailer().send(to=["a@example.com"], subject="s", body_text="b") is False
    assert "no MailSender" in caplog.text


def test_the_queue_message_carries_the_whole_task_and_its_session(aws):
    url = aws.names["BackgroundQueue"]
    task = QueuedTask(task_id="t1", session_id="s1", interview="x.yml", action="bg", arguments={"n": [1, 2]},
                      ui_notification="flash", user={"email": "a@example.com"}, secret="k")
    SqsTaskQueue(queue_url=url).send(task)
    message = boto3.client("sqs").receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
    assert QueuedTask(**json.loads(message["Body"])) == task
    assert message["MessageAttributes"]["session"]["StringValue"] == "s1"
    assert message["MessageAttributes"]["interview"]["StringValue"] == "x.yml"


@pytest.fixture
def environment(aws, monkeypatch):
    names = aws.names
    for key, value in {"SESSIONS_TABLE": names["SessionsTable"], "TASKS_TABLE": names["TasksTable"],
                       "PAYLOAD_BUCKET": names["PayloadBucket"], "BACKGROUND_QUEUE_URL": names["BackgroundQueue"],
                       "INTERVIEW_ROOTS": str(INTERVIEWS), "OFFSTAGE_API_KEYS": "", "MAIL_SENDER": ""}.items():
        monkeypatch.setenv(key, value)
    settings_module.reset()
    wiring.reset_deps()
    yield monkeypatch
    settings_module.reset()
    wiring.reset_deps()


def test_wiring_builds_working_stores_from_the_settings_and_reads_keys_from_ssm(environment):
    boto3.client("ssm").put_parameter(Name="/offstage/api-keys", Value="key-one, key-two", Type="SecureString")
    environment.setenv("API_KEYS_PARAMETER", "/offstage/api-keys")
    deps = wiring.deps()
    assert wiring.deps() is deps  # built once per container
    assert deps.api_keys == frozenset({"key-one", "key-two"})
    assert isinstance(deps.ports.mailer, DisabledMailer)
    record = deps.sessions.create("x.yml", {"a": 1}, secret="k")
    assert deps.sessions.load(record.session_id, secret="k").answers == {"a": 1}
    deps.ports.kv.set("greeting", b"hello")
    assert deps.ports.kv.get("greeting") == b"hello"


def test_inline_api_keys_win_and_a_sender_turns_on_ses(environment):
    environment.setenv("OFFSTAGE_API_KEYS", "inline-key")
    environment.setenv("API_KEYS_PARAMETER", "/offstage/missing")
    environment.setenv("MAIL_SENDER", "office@example.com")
    deps = wiring.deps()
    assert deps.api_keys == frozenset({"inline-key"})
    assert isinstance(deps.ports.mailer, SesMailer)
