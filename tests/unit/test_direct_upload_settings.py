"""The direct uploads' two settings: defaults, a deployment's values, 0 turning direct uploads off, and a
bad value named."""

from __future__ import annotations

import pytest
from offstage.settings import Settings


def test_defaults_send_files_over_4_mb_to_s3_and_take_up_to_docassemble_16_mib():
    found = Settings.from_env({})
    assert (found.direct_upload_over_bytes, found.max_direct_upload_bytes) == (4_000_000, 16_777_216)


def test_a_deployment_sets_both_and_0_sends_every_file_through_the_function():
    found = Settings.from_env({"DIRECT_UPLOAD_OVER_BYTES": "0", "MAX_DIRECT_UPLOAD_BYTES": "104857600"})
    assert (found.direct_upload_over_bytes, found.max_direct_upload_bytes) == (0, 104_857_600)


def test_a_bad_limit_is_named():
    with pytest.raises(ValueError, match="MAX_DIRECT_UPLOAD_BYTES must be a whole number"):
        Settings.from_env({"MAX_DIRECT_UPLOAD_BYTES": "lots"})
