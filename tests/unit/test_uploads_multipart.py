"""The multipart parser and the upload checks, attacker's inputs first: names that climb folders, markup
dressed as images, huge header counts, boundaries that are not boundaries, bodies that never close."""

from __future__ import annotations

import base64

import pytest
from offstage.documents.uploads import (
    Refused,
    Upload,
    accepts,
    check,
    from_data_url,
    named_for,
    safe_filename,
    sniff,
)
from offstage.errors import BadRequest
from offstage.http.multipart import MAX_PART_HEADERS, MAX_PARTS, parse

from tests.support.uploads import encode, tiny_pdf, tiny_png

LIMIT = 1000


def parsed(fields, boundary=None):
    body, content_type = encode(fields, boundary)
    return parse(body, content_type, max_file_bytes=LIMIT)


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("/abs/path/report.pdf", "report.pdf"),
    ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
    ("..", "upload"),
    (".htaccess", "htaccess"),
    ("a\x00b\r\n.txt", "ab.txt"),
    ("", "upload"),
    ("x" * 500 + ".pdf", "x" * 196 + ".pdf"),
])
def test_a_file_name_is_only_ever_a_plain_base_name(given, kept):
    assert safe_filename(given) == kept


def test_a_traversing_name_in_a_form_arrives_as_a_base_name():
    values = parsed([("doc", ("../../../../tmp/evil.pdf", tiny_pdf(), "application/pdf"))])
    upload = values["doc"][0]
    assert upload.filename == "evil.pdf"
    assert upload.data == tiny_pdf()


def test_text_fields_files_and_repeats_keep_their_order_and_an_empty_file_input_is_empty_text():
    values = parsed([("name", "Zoë"), ("files", ("a.png", tiny_png(), "image/png")),
                     ("files", ("b.txt", b"hi", "text/plain")), ("nothing", ("", b"", "application/octet-stream"))])
    assert values["name"] == ["Zoë"]
    assert [u.filename for u in values["files"]] == ["a.png", "b.txt"]
    assert values["nothing"] == [""]


def test_a_file_over_the_limit_is_kept_only_as_its_size_and_the_rest_of_the_form_is_read():
    values = parsed([("big", ("big.pdf", b"%PDF" + b"0" * 5000, "application/pdf")), ("name", "Ada")])
    big = values["big"][0]
    assert big.too_large
    assert big.data == b""
    assert big.size == 5004
    assert big.limit == LIMIT
    assert values["name"] == ["Ada"]
    with pytest.raises(Refused, match=r"big\.pdf is too large"):
        check(big, "file", None)


@pytest.mark.parametrize("content_type", [
    "multipart/form-data",  # no boundary
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=" + "b" * 71,  # RFC 2046: at most 70
    "multipart/form-data; boundary=\"a\rb\"",
    "multipart/form-data; boundary=a\x00b",
    "multipart/form-data; boundary=\"ends with space \"",
    "multipart/mixed; boundary=abc",
])
def test_a_boundary_that_is_not_a_valid_one_is_refused_with_a_message(content_type):
    with pytest.raises(BadRequest):
        parse(b"--abc\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--abc--", content_type,
              max_file_bytes=LIMIT)


@pytest.mark.parametrize(("body", "message"), [
    (b"no boundary anywhere", "does not contain its boundary"),
    (b"--abc\r\nContent-Disposition: form-data; name=x\r\n\r\n1", "closing boundary"),
    (b"--abc\r\nContent-Disposition: form-data; name=x\r\n1\r\n--abc--", "no end to its headers"),
    (b"--abcjunk\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--abc--", "other than a line break"),
    (b"--abc\r\nContent-Disposition: attachment; name=x\r\n\r\n1\r\n--abc--", "not form-data"),
    (b"--abc\r\nContent-Disposition: form-data\r\n\r\n1\r\n--abc--", "no name"),
    (b"--abc\r\nContent-Disposition: form-data; name=x\r\nbroken header\r\n\r\n1\r\n--abc--", "malformed header"),
    (b"--abc\r\nContent-Disposition: form-data; name=x\r\n\r\n\xff\xfe\r\n--abc--", "not UTF-8"),
])
def test_a_malformed_body_is_refused_with_a_message(body, message):
    with pytest.raises(BadRequest, match=message):
        parse(body, "multipart/form-data; boundary=abc", max_file_bytes=LIMIT)


def test_huge_header_counts_and_header_blocks_are_refused():
    many = b"".join(b"X-Header-%d: v\r\n" % n for n in range(MAX_PART_HEADERS + 1))
    body = b"--abc\r\nContent-Disposition: form-data; name=x\r\n" + many + b"\r\n1\r\n--abc--"
    with pytest.raises(BadRequest, match="more than 8 headers"):
        parse(body, "multipart/form-data; boundary=abc", max_file_bytes=LIMIT)
    long = b"--abc\r\nContent-Disposition: form-data; name=x; pad=\"" + b"a" * 10_000 + b"\"\r\n\r\n1\r\n--abc--"
    with pytest.raises(BadRequest, match="bytes of headers"):
        parse(long, "multipart/form-data; boundary=abc", max_file_bytes=LIMIT)


def test_a_form_with_more_parts_than_the_limit_is_refused():
    with pytest.raises(BadRequest, match=f"more than {MAX_PARTS} parts"):
        parsed([(f"f{n}", "v") for n in range(MAX_PARTS + 5)])


def test_a_rfc_5987_file_name_and_a_quoted_name_with_escapes_are_read():
    body = (b'--abc\r\nContent-Disposition: form-data; name="a \\"b\\""; filename="x.txt"; '
            b"filename*=UTF-8''%C3%A9t%C3%A9.txt\r\nContent-Type: text/plain\r\n\r\nhi\r\n--abc--\r\n")
    values = parse(body, 'multipart/form-data; boundary="abc"', max_file_bytes=LIMIT)
    assert values['a "b"'][0].filename == "été.txt"


@pytest.mark.parametrize(("data", "kind"), [
    (tiny_pdf(), "application/pdf"),
    (tiny_png(), "image/png"),
    (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
    (b"GIF89a...", "image/gif"),
    (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
    (b"ID3\x04", "audio/mpeg"),
    (b"OggS\x00", "audio/ogg"),
    (b"plain words\n", "text/plain"),
    (b"BMW service notes", "text/plain"),
    (b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00", "image/bmp"),
    (b"<!DOCTYPE html><p>x", "text/html"),
    (b"  <svg xmlns='http://www.w3.org/2000/svg'/>", "text/html"),
    (b"<?xml version='1.0'?><svg/>", "text/html"),
    (b"hello <script>alert(1)</script>", "text/html"),
    (b"\x00\x01\x02\x03", "application/octet-stream"),
])
def test_the_type_is_read_from_the_bytes(data, kind):
    assert sniff(data, "whatever.png") == kind


def upload(data, name="f", declared="application/octet-stream"):
    return Upload(name, declared, data, len(data))


def test_markup_is_refused_whatever_it_claims_to_be():
    for data in (b"<html><script>x</script></html>", b"<svg onload=alert(1)>", b"<?xml version='1.0'?><a/>"):
        with pytest.raises(Refused, match="web page or script"):
            check(upload(data, "picture.png", "image/png"), "files", None)


def test_a_datatype_limits_the_family_and_accept_the_types():
    assert check(upload(tiny_png()), "camera", None) == "image/png"
    with pytest.raises(Refused, match="not an image file"):
        check(upload(tiny_pdf()), "camera", None)
    with pytest.raises(Refused, match="not an audio file"):
        check(upload(tiny_png()), "microphone", None)
    assert check(upload(tiny_pdf(), "lease.pdf"), "file", '"application/pdf"') == "application/pdf"
    with pytest.raises(Refused, match="does not take"):
        check(upload(tiny_png(), "lease.pdf"), "file", "application/pdf")


def test_accept_lists_take_types_families_and_extensions_that_agree_with_the_bytes():
    assert accepts("image/*, application/pdf", "application/pdf", "x.pdf")
    assert accepts(".pdf", "application/pdf", "x.PDF")
    assert not accepts(".pdf", "image/png", "x.pdf")  # the name says PDF, the bytes do not
    assert not accepts("image/*", "application/pdf", "x.png")


def test_a_file_name_gets_the_extension_of_what_its_bytes_are():
    assert named_for("x.html", "image/png") == "x.html.png"
    assert named_for("photo.png", "image/png") == "photo.png"
    assert named_for("data.bin", "application/octet-stream") == "data.bin"


def test_the_signature_arrives_as_a_png_data_url_and_nothing_else():
    png = tiny_png()
    signed = from_data_url("data:image/png;base64," + base64.b64encode(png).decode())
    assert signed.data == png
    assert signed.filename == "signature.png"
    for wrong in ("data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode(),
                  "data:image/png;base64," + base64.b64encode(b"<html>").decode(),
                  "data:image/png;base64,!!!notbase64",
                  "javascript:alert(1)"):
        with pytest.raises(Refused):
            from_data_url(wrong)
    assert from_data_url("data:image/png;base64," + "A" * 4000, max_bytes=100).too_large


def test_the_upload_limits_are_settings_with_defaults_lambda_can_take():
    from offstage.settings import Settings

    defaults = Settings.from_env({})
    assert defaults.max_upload_bytes == 4_000_000
    assert defaults.max_upload_request_bytes == 4_400_000
    chosen = Settings.from_env({"MAX_UPLOAD_BYTES": "10000000", "MAX_UPLOAD_REQUEST_BYTES": "10485760"})
    assert (chosen.max_upload_bytes, chosen.max_upload_request_bytes) == (10_000_000, 10_485_760)
    with pytest.raises(ValueError, match="MAX_UPLOAD_BYTES must be a whole number"):
        Settings.from_env({"MAX_UPLOAD_BYTES": "10 MB"})
