"""The JSON API's published contract: an OpenAPI 3.1 description, served at GET /api/openapi.json.

Written by hand as data (Powertools could generate one, but only with pydantic, a cold-start cost
every request would pay); built on the first request for it. tests/integration/test_openapi.py checks
that it describes exactly the template's /api/* and /checkin routes, and fuzzes each against it.
"""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

PATH = "/api/openapi.json"
SAMPLE = "hello.yml"  # an interview every deployment has (layers/interviews): the examples use it


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _query(name: str, description: str, *, required: bool = False, example: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if example is not None:
        schema["examples"] = [example]
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


ERRORS = {str(code): _ref("responses", name) for code, name in (
    (400, "BadRequest"), (403, "Forbidden"), (404, "NotFound"), (409, "Conflict"), (413, "TooLarge"),
    (429, "Throttled"), (500, "Unexpected"))}

SESSION_PARAMS = [_ref("parameters", "i"), _ref("parameters", "session"), _ref("parameters", "secret"),
                  _ref("parameters", "sessionSecretHeader")]


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """A JSON body, or the same fields form-encoded (objects and arrays then as JSON text)."""
    as_form = {k: ({"type": "string", "description": "JSON text"} if v.get("type") in ("object", "array") else v)
               for k, v in properties.items()}
    return {"required": True, "content": {
        "application/json": {"schema": {"type": "object", "properties": properties, "required": required}},
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": as_form,
                                                         "required": required}}}}


def _with_uploads(body: dict[str, Any]) -> dict[str, Any]:
    """The form body also as multipart/form-data, with files: each part named after the variable it
    sets (a DAFileList), or mapped to one by `file_variables` (docassemble's API)."""
    form = body["content"]["application/x-www-form-urlencoded"]["schema"]
    properties = {**form["properties"], "file_variables": {
        "type": "string", "description": "JSON text: upload part name -> variable name."}}
    files = {"type": "string", "format": "binary", "description": "A file for the variable of this name."}
    return {**body, "content": {**body["content"], "multipart/form-data": {"schema": {
        "type": "object", "properties": properties, "additionalProperties": files,
        "required": form.get("required", [])}}}}


SESSION_FIELDS = {
    "i": {"type": "string", "description": "The interview's file name.", "examples": [SAMPLE]},
    "session": {"type": "string", "description": "The session id from /api/session/new."},
    "secret": {"type": "string", "description": "The session's secret (or send X-Session-Secret)."},
}
QUESTION_FLAG = {"type": ["string", "integer", "boolean"], "description": "0: reply 204 instead of the question."}


def _operation(summary: str, ok: dict[str, Any], *, parameters: list[Any] | None = None,
               body: dict[str, Any] | None = None, no_content: bool = False) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": ok, **ERRORS}
    if no_content:
        responses["204"] = {"description": "Done; nothing to show."}
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = body
    return operation


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


QUESTION = _json(_ref("schemas", "Question"), "The current question, docassemble's shape.")


def _paths() -> dict[str, Any]:
    return {
        PATH: {"get": {"summary": "This description.", "security": [],
                       "responses": {"200": _json({"type": "object"}, "The OpenAPI description."),
                                     "429": ERRORS["429"], "500": ERRORS["500"]}}},
        "/api/interviews": {"get": _operation(
            "The interviews this deployment serves.",
            _json({"type": "array", "items": _ref("schemas", "InterviewListing")}, "One entry per interview."))},
        "/api/session/new": {"get": _operation(
            "Start a session. Any other query parameter becomes url_args.",
            _json(_ref("schemas", "NewSession"), "The new session; its secret is shown once, keep it."),
            parameters=[_ref("parameters", "i"), _query(
                "secret", "A secret of your choosing for the session's answers (otherwise one is made).")])},
        "/api/session/question": {"get": _operation(
            "The current question.", QUESTION, parameters=SESSION_PARAMS)},
        "/api/session": {
            "get": _operation("All variables of the session.", _json({"type": "object"}, "The answers as JSON."),
                              parameters=SESSION_PARAMS),
            "post": _operation(
                "Set variables (and answer the current question), then show the next question.", QUESTION,
                parameters=[_ref("parameters", "sessionSecretHeader")], no_content=True,
                body=_with_uploads(_body({**SESSION_FIELDS,
                            "variables": {"type": "object", "description": "Variable name to value."},
                            "uploads": {"type": "array", "description": "Files sent to S3 with /api/session/upload.",
                                        "items": {"type": "object", "properties": {
                                            "field": {"type": "string"}, "key": {"type": "string"},
                                            "filename": {"type": "string"}}}},
                            "event_list": {"type": "array", "items": {"type": "string"}},
                            "question_name": {"type": "string", "description": "The question these answer."},
                            "question": QUESTION_FLAG,
                            "overwrite": {"type": ["string", "integer", "boolean"],
                                          "description": "1: no new step (Back does not return here)."}},
                           ["i", "session"]))),
            "delete": {"summary": "Delete the session, its steps and payloads.",
                       "parameters": [_ref("parameters", "i"), _ref("parameters", "session")],
                       "responses": {"204": {"description": "Deleted (or there was nothing)."}, **ERRORS}},
        },
        "/api/session/action": {"post": {
            "summary": "Run an action the interview defines; its response() is returned as the author made it.",
            "parameters": [_ref("parameters", "sessionSecretHeader")],
            "requestBody": _body({**SESSION_FIELDS, "action": {"type": "string"},
                                  "arguments": {"type": "object"},
                                  "persistent": {"type": ["string", "integer", "boolean"]},
                                  "read_only": {"type": ["string", "integer", "boolean"]}},
                                 ["i", "session", "action"]),
            "responses": {"200": {"description": "The action's response() or background_response() value.",
                                  "content": {"*/*": {}}},
                          "204": {"description": "The action ran."},
                          "303": {"description": "The action's response() redirects."}, **ERRORS}}},
        "/api/session/back": {"post": _operation(
            "Go back one step, then show that question.", QUESTION, no_content=True,
            parameters=[_ref("parameters", "sessionSecretHeader")],
            body=_body({**SESSION_FIELDS, "question": QUESTION_FLAG}, ["i", "session"]))},
        "/api/session/upload": {"post": _operation(
            "A presigned S3 POST for one big file of a variable (over the request's ~4 MB limit). POST the file "
            "to `url` with `fields`, then name it in POST /api/session's `uploads`: "
            '[{"field": variable, "key": key, "filename": name}].',
            _json({"type": "object", "required": ["url", "fields", "key"], "properties": {
                "url": {"type": "string"}, "fields": {"type": "object"}, "key": {"type": "string"}}},
                "The form to POST the file with, and the key that names it."),
            parameters=[_ref("parameters", "sessionSecretHeader")],
            body=_body({**SESSION_FIELDS, "field": {"type": "string", "description": "The variable the file is for."},
                        "size": {"type": "integer", "description": "The file's size in bytes."},
                        "type": {"type": "string", "description": "The file's content type."}},
                       ["i", "session", "field", "size"]))},
        "/checkin": {"post": {
            "summary": "A page's periodic check-in: runs the question's check in action, hands out task "
                       "notifications once. From a page: the interview's cookie and its csrf_token; from "
                       "elsewhere: session and secret.",
            "security": [],
            "parameters": [_ref("parameters", "sessionSecretHeader")],
            "requestBody": _body({**SESSION_FIELDS, "parameters": {"type": "object"},
                                  "do_action": {"type": "string"},
                                  "checkinCode": {"type": ["string", "integer"]},
                                  "csrf_token": {"type": "string"}}, ["i"]),
            "responses": {"200": _json(_ref("schemas", "Checkin"), "docassemble's check-in reply."), **ERRORS}}},
    }


def _components() -> dict[str, Any]:
    error = {"type": "object", "required": ["error", "message"], "properties": {
        "error": {"type": "string", "description": "A code: bad_request, access_denied, session_not_found, ..."},
        "message": {"type": "string", "description": "What is wrong, for a person."},
        "reference": {"type": "string", "description": "Unexpected errors: quote it when reporting; it is "
                                                       "the request id in the logs."},
        "details": {"type": "object", "description": "Interview errors: type, message, block, variables."}}}
    problem = {"anyOf": [_ref("schemas", "Error"), {
        "type": "object", "required": ["errors"],
        "properties": {"errors": {"type": "object", "description": "Field or variable name to message."}}}]}

    def answer(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
        return _json(schema or _ref("schemas", "Error"), description)

    return {
        "securitySchemes": {
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "bearer": {"type": "http", "scheme": "bearer", "description": "The API key as a bearer token."}},
        "parameters": {
            "i": {"name": "i", "in": "query", "required": True, "description": "The interview's file name.",
                  "schema": {"type": "string", "examples": [SAMPLE]}},
            "session": _query("session", "The session id from /api/session/new.", required=True),
            "secret": _query("secret", "The session's secret; prefer the X-Session-Secret header, which "
                                       "keeps it out of URLs and logs."),
            "sessionSecretHeader": {"name": "X-Session-Secret", "in": "header", "required": False,
                                    "description": "The session's secret. If a secret parameter is sent "
                                                   "too, both must be the same.",
                                    "schema": {"type": "string"}},
        },
        "schemas": {
            "Error": error,
            "InterviewListing": {"type": "object", "required": ["filename", "title", "link"], "properties": {
                "filename": {"type": "string"}, "title": {"type": "string"}, "link": {"type": "string"}}},
            "NewSession": {"type": "object", "required": ["i", "session", "encrypted"], "properties": {
                "i": {"type": "string"}, "session": {"type": "string"}, "encrypted": {"type": "boolean"},
                "secret": {"type": "string", "description": "Only when the server made the secret."}}},
            "Question": {"type": "object", "description": "docassemble's question JSON (questionType, "
                                                          "questionText, fields, ...)."},
            "Checkin": {"type": "object", "required": ["success", "commands"], "properties": {
                "success": {"type": "boolean"}, "commands": {"type": "array", "items": {"type": "object"}},
                "pending_tasks": {"type": "integer"}}},
        },
        "responses": {
            "BadRequest": answer("The request is malformed or the interview failed to assemble "
                                 "(docassemble's 400); the message names the problem.", problem),
            "Forbidden": answer("No valid API key, or the wrong secret for the session."),
            "NotFound": answer("No such interview, session or route."),
            "Conflict": answer("Another request changed the session first; send it again."),
            "TooLarge": answer("The body is larger than the limit."),
            "Throttled": answer("Too many requests (API Gateway's throttling); retry later.",
                                {"type": "object", "properties": {"message": {"type": "string"}}}),
            "Unexpected": answer("An error on the server's side; the reply names a reference."),
        },
    }


@functools.cache
def description() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "offstage JSON API", "version": "1",
                 "description": "docassemble's /api/session* endpoints as offstage serves them. Every /api "
                                "route but this description needs an API key."},
        "security": [{"apiKey": []}, {"bearer": []}],
        "paths": _paths(),
        "components": _components(),
    }


def register(app: APIGatewayHttpResolver) -> None:
    @app.get(PATH)
    def openapi() -> Response[Any]:
        from offstage.http.responses import json_response

        return json_response(description())
