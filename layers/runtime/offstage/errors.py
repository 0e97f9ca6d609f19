"""Domain errors: each names the problem for the user; the HTTP layer maps them in one place."""

from __future__ import annotations


class OffstageError(Exception):
    """Base of the errors a user can cause; `status` is the HTTP status they map to."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(OffstageError):
    status = 400
    code = "bad_request"


class UnknownAction(BadRequest):
    """An action (a link's, a check-in's, the API's, a task's) that is not a name the interview defines."""

    status = 400
    code = "unknown_action"


class PayloadTooLarge(OffstageError):
    status = 413
    code = "payload_too_large"


class Unauthorized(OffstageError):
    status = 403
    code = "access_denied"


class InterviewNotFound(OffstageError):
    status = 404
    code = "interview_not_found"


class InterviewInvalid(OffstageError):
    """The interview file has an error (YAML, unknown keys, ...): the message names file and line."""

    status = 400
    code = "interview_invalid"


class SessionNotFound(OffstageError):
    status = 404
    code = "session_not_found"


class WrongSecret(OffstageError):
    """The answers cannot be decrypted with the secret given, or were tampered with."""

    status = 403
    code = "wrong_secret"


class SessionConflict(OffstageError):
    """Another writer saved the session first (optimistic locking); callers re-read and retry."""

    status = 409
    code = "conflict"


class CannotGoBack(OffstageError):
    status = 400
    code = "cannot_go_back"


class AnswersCorrupt(OffstageError):
    """Stored answers are of an unknown format version or do not decode: refused, never guessed."""

    status = 400
    code = "answers_corrupt"
