"""Big files and pictures in headless Chromium on the local stack, with the deployment's defaults (files over
4 MB go straight to S3, 16 MiB at most): a 10 MB PDF goes to moto's S3 with a presigned POST and comes back
as a DAFile with its bytes while the screen's own POST stays small; a 20 MB file is refused next to its
field before anything is sent; a photo is shrunk by the page to the field's `maximum image size` before it
is sent (and converted to JPEG where the field asks)."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.tabs import watched_tab
from tests.support.uploads import tiny_pdf

pytestmark = pytest.mark.e2e

INTERVIEW = "big_uploads.yml"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local import LocalStack

    folder = tmp_path_factory.mktemp("big-uploads")
    shutil.copy(Path(__file__).resolve().parents[1] / "uploads" / INTERVIEW, folder / INTERVIEW)
    with LocalStack(interviews=[folder]) as running:
        yield running


def pdf_of(size: int) -> bytes:
    data = tiny_pdf("Case file")
    return data + b"%" + b"x" * (size - len(data) - 1)


def noisy_png(width: int, height: int) -> bytes:
    """A photo-like PNG that does not compress (random pixels): big on purpose."""
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, format="PNG")
    return out.getvalue()


def screen_posts(tab) -> list[int]:
    """The sizes of the screen POSTs the tab sends (the form's body, files included)."""
    sizes: list[int] = []
    tab.on("request", lambda r: sizes.append(len(r.post_data_buffer or b""))
           if r.method == "POST" and re.search(r"/interview\?", r.url) else None)
    return sizes


def test_a_10_mb_pdf_goes_to_s3_and_comes_back_as_a_dafile_with_its_bytes(browser, stack):
    data = pdf_of(10_000_000)
    with watched_tab(browser) as tab:
        sizes = screen_posts(tab)
        to_s3: list[str] = []
        tab.on("requestfinished", lambda r: to_s3.append(r.url) if r.url.startswith(stack.endpoint) else None)
        tab.goto(f"{stack.url}/interview?i={INTERVIEW}&reset=1")
        tab.get_by_label("Your name").fill("Ada Lovelace")
        tab.get_by_label("A PDF of your case file").set_input_files(
            {"name": "case.pdf", "mimeType": "application/pdf", "buffer": data})
        tab.get_by_role("button", name="Continue").click()
        tab.get_by_text("Received, Ada Lovelace").wait_for(timeout=WAIT_MS)
        text = tab.locator("#daform").inner_text()
        assert f"Case file: case.pdf (application/pdf, {len(data)} bytes)" in text
        assert to_s3, "the file was not sent to S3"
        assert sizes
        assert max(sizes) < 100_000


def test_a_20_mb_file_is_refused_next_to_its_field_and_nothing_is_sent_or_lost(browser, stack):
    with watched_tab(browser) as tab:
        tab.goto(f"{stack.url}/interview?i={INTERVIEW}&reset=1")
        asked: list[str] = []
        tab.on("request", lambda r: asked.append(r.url) if r.method == "POST" else None)
        tab.get_by_label("Your name").fill("Grace Hopper")
        tab.get_by_label("A PDF of your case file").set_input_files(
            {"name": "huge.pdf", "mimeType": "application/pdf", "buffer": pdf_of(20_000_000)})
        url = tab.url
        tab.get_by_role("button", name="Continue").click()
        error = tab.locator("#daform .da-error").first
        error.wait_for(timeout=WAIT_MS)
        assert "huge.pdf is too large (20.0 MB); the limit is 16.8 MB per file." in error.inner_text()
        assert tab.url == url
        assert asked == []  # neither the app nor S3 was sent anything
        assert tab.get_by_label("Your name").input_value() == "Grace Hopper"
        assert tab.get_by_label("A PDF of your case file").get_attribute("aria-invalid") == "true"


def test_a_photo_is_shrunk_by_the_page_to_the_maximum_image_size_before_it_is_sent(browser, stack):
    photo = noisy_png(800, 600)
    assert len(photo) > 1_000_000
    with watched_tab(browser) as tab:
        sizes = screen_posts(tab)
        tab.goto(f"{stack.url}/interview?i={INTERVIEW}&reset=1")
        tab.get_by_label("Your name").fill("Ada")
        tab.get_by_label("A PDF of your case file").set_input_files(
            {"name": "case.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()})
        tab.get_by_label("A photo of the damage").set_input_files(
            {"name": "damage.png", "mimeType": "image/png", "buffer": photo})
        tab.get_by_label("A scan of the receipt").set_input_files(
            {"name": "receipt.png", "mimeType": "image/png", "buffer": noisy_png(300, 200)})
        tab.get_by_role("button", name="Continue").click()
        tab.get_by_text("Received, Ada").wait_for(timeout=WAIT_MS)
        # `image upload type: jpeg`: the page sent a JPEG, renamed to say so
        assert "Receipt: receipt.jpg (image/jpeg)" in tab.locator("#daform").inner_text()
        assert sizes
        assert max(sizes) < 200_000
        image = tab.locator("#daform img").first
        image.wait_for(timeout=WAIT_MS)
        tab.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle(), timeout=WAIT_MS)
        width, height = image.evaluate("i => [i.naturalWidth, i.naturalHeight]")
        assert max(width, height) <= 100
        assert (width, height) == (100, 75)  # the proportions are kept
