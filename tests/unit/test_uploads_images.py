"""`maximum image size` and `image upload type` on an uploaded picture (documents/images.fitted_image and
the upload store that applies them): resized with Pillow, converted, left alone when nothing is asked,
and refused with a message naming the modifiers when Pillow is missing."""

from __future__ import annotations

import io
import sys
from types import SimpleNamespace

import pytest
from offstage.documents.images import ImageRefused, fitted_image
from offstage.documents.uploads import Pending, Refused, Upload
from offstage.library.uploads import _fitted

PIL = pytest.importorskip("PIL.Image")  # Pillow is in the runtime's requirements: present in the venv


def picture(width: int, height: int, image_format: str = "PNG", mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    PIL.new(mode, (width, height), (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(out, image_format)
    return out.getvalue()


def size_of(data: bytes) -> tuple[int, int]:
    return PIL.open(io.BytesIO(data)).size


def test_a_picture_larger_than_the_maximum_is_scaled_down_keeping_its_proportions():
    data, kind = fitted_image(picture(1200, 600), "image/png", 300, None)
    assert kind == "image/png"
    assert size_of(data) == (300, 150)


def test_image_upload_type_converts_and_a_transparent_png_becomes_an_rgb_jpeg():
    data, kind = fitted_image(picture(40, 20), "image/png", None, "jpeg")
    assert kind == "image/jpeg"
    assert data[:3] == b"\xff\xd8\xff"
    assert PIL.open(io.BytesIO(data)).mode == "RGB"


def test_a_small_picture_of_the_right_type_and_other_files_are_kept_as_they_are():
    small = picture(50, 50)
    assert fitted_image(small, "image/png", 300, "png") == (small, "image/png")
    assert fitted_image(b"%PDF-1.4 ...", "application/pdf", 300, "jpeg") == (b"%PDF-1.4 ...", "application/pdf")


def test_an_unknown_upload_type_and_an_unreadable_picture_are_refused():
    with pytest.raises(ImageRefused, match="image upload type 'webm'"):
        fitted_image(picture(10, 10), "image/png", None, "webm")
    with pytest.raises(ImageRefused, match="cannot be read"):
        fitted_image(b"\x89PNG\r\n\x1a\nnot really", "image/png", 100, None)


def test_without_pillow_the_upload_is_refused_with_a_message_naming_the_modifiers(monkeypatch):
    big = picture(500, 500)
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImageRefused, match=r"maximum image size, image upload type.*Pillow"):
        fitted_image(big, "image/png", 100, None)


def test_the_upload_store_applies_the_fields_modifiers_and_renames_a_converted_file():
    upload = Upload("photo.png", "image/png", picture(800, 400), 0)
    spec = SimpleNamespace(extras={"maximum image size": 200, "image upload type": "jpeg"})
    pending, kinds = _fitted(Pending("file", (upload,)), ["image/png"], spec)
    fitted = pending.uploads[0]
    assert kinds == ["image/jpeg"]
    assert fitted.filename == "photo.jpg"
    assert size_of(fitted.data) == (200, 100)
    assert fitted.size == len(fitted.data)
    with pytest.raises(Refused, match=r"photo\.png cannot be taken: image upload type"):
        _fitted(Pending("file", (upload,)), ["image/png"], SimpleNamespace(extras={"image upload type": "raw"}))
