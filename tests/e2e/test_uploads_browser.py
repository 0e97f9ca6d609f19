"""File uploads and the signature pad in headless Chromium on the local stack (moto S3 behind the store):
files chosen in file inputs and a signature drawn with the mouse come back as DAFiles with their bytes;
a 20 MB file is refused next to its field before anything is sent, a file of the wrong type after, and
in both cases the other answers stay on the screen."""

from __future__ import annotations

import re

import pytest

from tests.support.uploads import tiny_pdf, tiny_png, uploads_interviews

pytestmark = pytest.mark.e2e

INTERVIEW = "uploads.yml"
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local import LocalStack

    with LocalStack(interviews=[uploads_interviews(tmp_path_factory.mktemp("uploads"))]) as running:
        yield running


def start(page, stack) -> None:
    page.goto(f"{stack.url}/interview?i={INTERVIEW}&reset=1")
    page.get_by_label("Your name").fill("Ada Lovelace")


def choose_files(page, lease=None) -> None:
    page.get_by_label("A PDF of your lease").set_input_files(
        lease or {"name": "lease.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()})
    page.get_by_label("Your exhibits").set_input_files([
        {"name": "exhibit-a.png", "mimeType": "image/png", "buffer": tiny_png()},
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"some notes\n"},
    ])


def draw_signature(page) -> None:
    pad = page.locator("canvas.da-signature-pad")
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + box["height"] / 2 + (15 if step % 2 else -15))
    page.mouse.up()


def cont(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def test_uploaded_files_and_a_drawn_signature_come_back_as_files_with_their_bytes(page, stack):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start(page, stack)
    choose_files(page)
    cont(page)
    page.get_by_text("Sign here").first.wait_for(timeout=WAIT_MS)
    # a Continue with nothing drawn is refused, as docassemble's signature screen does
    cont(page)
    assert "Please sign your name." in page.locator(".da-error").first.inner_text()
    draw_signature(page)
    assert page.locator("input[name=user_signature]").input_value().startswith("data:image/png;base64,")
    cont(page)
    page.get_by_text("Thank you, Ada Lovelace").wait_for(timeout=WAIT_MS)
    text = page.locator("#daform").inner_text()
    assert "Lease: lease.pdf (application/pdf, " in text
    assert "1 pages" in text
    assert "Exhibits: exhibit-a.png and notes.txt" in text
    assert "Photo: none" in text
    assert re.search(r"Signature: signature\.png \(image/png, \d+ bytes\)", text)
    # the drawn signature is an image the browser loads from the session's own file route
    image = page.locator("#daform img").first
    image.wait_for(timeout=WAIT_MS)
    assert page.evaluate("img => img.complete && img.naturalWidth === 600", image.element_handle())
    assert errors == []


def test_a_20_mb_file_is_named_next_to_its_field_and_nothing_is_sent_or_lost(page, stack):
    start(page, stack)
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)
    choose_files(page, lease={"name": "huge.pdf", "mimeType": "application/pdf", "buffer": big})
    url = page.url
    page.get_by_role("button", name="Continue").click()
    error = page.locator("#daform .da-error").first
    error.wait_for(timeout=WAIT_MS)
    assert "huge.pdf is too large (21.0 MB)" in error.inner_text()
    assert page.url == url
    assert page.get_by_label("Your name").input_value() == "Ada Lovelace"
    assert page.get_by_label("A PDF of your lease").get_attribute("aria-invalid") == "true"
    # a smaller file then goes through
    choose_files(page)
    cont(page)
    page.get_by_text("Sign here").first.wait_for(timeout=WAIT_MS)
    # docassemble's own browser step signs with four clicks inside #dasigcanvas: each leaves a dot
    box = page.locator("#dasigcanvas").bounding_box()
    for x, y in ((0.2, 0.3), (0.4, 0.6), (0.6, 0.4), (0.8, 0.7)):
        page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
    cont(page)
    page.get_by_text("Thank you, Ada Lovelace").wait_for(timeout=WAIT_MS)


def test_a_file_of_the_wrong_type_is_refused_by_the_server_next_to_its_field_and_the_answers_stay(page, stack):
    start(page, stack)
    choose_files(page, lease={"name": "lease.pdf", "mimeType": "application/pdf", "buffer": tiny_png()})
    cont(page)
    error = page.locator("#daform .da-error").first
    error.wait_for(timeout=WAIT_MS)
    assert "lease.pdf is of a type this question does not take (image/png)" in error.inner_text()
    assert page.get_by_label("Your name").input_value() == "Ada Lovelace"


def test_a_signature_can_be_given_by_keyboard_alone_by_typing_a_name(page, stack):
    from tests.e2e.accessibility import violations

    start(page, stack)
    choose_files(page)
    cont(page)
    page.get_by_text("Sign here").first.wait_for(timeout=WAIT_MS)
    assert violations(page) == []
    # Tab from the pad's Clear button reaches the name box (no pointer is used from here on)
    page.locator(".da-signature-clear").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('da-signature-typed')")
    page.keyboard.type("Ada Lovelace")
    assert page.locator("input[name=user_signature]").input_value().startswith("data:image/png;base64,")
    # ink on the pad: the typed name was written on it
    inked = page.evaluate("""() => { const c = document.getElementById('dasigcanvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { n += 1; } } return n; }""")
    assert inked > 200
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Thank you, Ada Lovelace").wait_for(timeout=WAIT_MS)
    assert re.search(r"Signature: signature\.png \(image/png, \d+ bytes\)", page.locator("#daform").inner_text())


def text_pdf(text: str) -> bytes:
    """A one-page PDF whose page says `text` (Helvetica), written out by pypdf so its cross-references hold."""
    import io

    from pypdf import PdfReader, PdfWriter

    stream = f"BT /F1 18 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 400 200]/Contents 4 0 R"
               b"/Resources<</Font<</F1 5 0 R>>>>>>",
               b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer<</Size 6/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(body)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def page_stack():
    from pathlib import Path

    from offstage.local import LocalStack

    with LocalStack(interviews=[Path(__file__).parent / "interviews"]) as running:
        yield running


def test_a_pdf_uploaded_in_the_browser_is_joined_into_a_bundle_by_pdf_concatenate(page, page_stack):
    from tests.support.files import pdf_text

    page.goto(f"{page_stack.url}/interview?i=pdf_upload_bundle.yml&reset=1")
    page.locator("input[name=lease]").set_input_files(
        {"name": "lease.pdf", "mimeType": "application/pdf", "buffer": text_pdf("UPLOADED LEASE TERMS")})
    cont(page)
    page.get_by_text("Your bundle is ready.").wait_for(timeout=120_000)  # the cover letter is converted first
    assert "The bundle has 2 pages" in page.inner_text("#daform")
    link = page.locator("#daform a", has_text="bundle.pdf")
    response = page.request.get(page_stack.url + link.get_attribute("href"))
    assert response.status == 200
    pages = pdf_text(response.body()).split("\f")
    assert "Cover letter for the enclosed lease." in pages[0]
    assert "UPLOADED LEASE TERMS" in pages[1]
