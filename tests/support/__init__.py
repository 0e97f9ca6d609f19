"""Test doubles and the in-process harness: kept out of the deployed layer (layers/runtime/offstage)."""
