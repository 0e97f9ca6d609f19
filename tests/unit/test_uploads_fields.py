"""File and signature fields on the page, and `signature:` questions in interviews."""

from __future__ import annotations

import re

import pytest
from offstage.errors import InterviewInvalid
from offstage.interview import QuestionBlock, load_interview_text
from offstage.web.fields import FieldContext, needs_multipart, render_fields
from offstage.web.page import PageContext, render_question_page


def rendered(*fields, values=None, errors=None):
    return render_fields(list(fields), FieldContext(values, errors))


@pytest.mark.parametrize(("datatype", "expected"), [
    ("file", ['type="file"', 'class="form-control dafile"']),
    ("files", ['type="file"', " multiple"]),
    ("camera", ['accept="image/*"', 'capture="environment"']),
    ("user", ['accept="image/*"', 'capture="user"']),
    ("microphone", ['accept="audio/*"', 'capture="user"']),
])
def test_a_file_datatype_is_a_file_input_with_its_accept_and_capture(datatype, expected):
    html = rendered({"variable_name": "upload", "label": "Upload", "datatype": datatype, "required": True})
    control = re.search(r"<input[^>]*>", html).group(0)
    for piece in expected:
        assert piece in control
    assert 'data-max-bytes="' in control
    assert " required" not in control  # a re-shown form has no file in it
    assert html.count("uploads.js") == 1


def test_the_fields_accept_wins_and_the_script_comes_once_per_page():
    html = rendered({"variable_name": "a", "label": "A", "datatype": "file", "accept": "application/pdf"},
                    {"variable_name": "b", "label": "B", "datatype": "files"})
    assert 'accept="application/pdf"' in html
    assert html.count("uploads.js") == 1


def test_the_signature_pad_is_a_canvas_with_a_hidden_input_and_a_refused_drawing_comes_back():
    url = "data:image/png;base64,iVBORw0KGgo="
    html = rendered({"variable_name": "sig", "label": None, "datatype": "signature", "pen_color": "blue"},
                    values={"sig": url})
    assert '<canvas id="dasigcanvas" class="da-signature-pad"' in html
    assert f'<input type="hidden" id="daf1" name="sig" value="{url}">' in html
    assert 'data-pen-color="blue"' in html
    assert "onclick" not in html
    assert "da-label" not in html
    labelled = rendered({"variable_name": "sig", "label": "Sign as tenant", "datatype": "signature"})
    assert 'aria-labelledby="daf1-label"' in labelled
    assert ">Sign as tenant</div>" in labelled
    hostile = rendered({"variable_name": "sig", "datatype": "signature"}, values={"sig": '"><script>x</script>'})
    assert "<script>x" not in hostile
    assert 'value=""' in hostile


def test_only_a_form_with_a_file_field_is_multipart():
    assert needs_multipart([{"datatype": "text"}, {"datatype": "camera"}])
    assert not needs_multipart([{"datatype": "text"}, {"datatype": "signature"}])
    screen = {"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "f", "label": "F", "datatype": "file"}]}
    page = render_question_page(screen, PageContext(interview="x.yml", action_url="/interview?i=x.yml"))
    assert re.search(r'<form[^>]*enctype="multipart/form-data"', page)


def test_a_signature_question_is_one_signature_field_and_cannot_mix_with_fields():
    interview = load_interview_text("question: Sign\nsignature: client.signature\nrequired: False\n"
                                    "pen color: blue\n", "sig.yml")
    block = next(b for b in interview.blocks if isinstance(b, QuestionBlock))
    (field,) = block.fields
    assert (field.variable, field.datatype, field.required) == ("client.signature", "signature", False)
    assert "client.signature" in block.names()
    with pytest.raises(InterviewInvalid, match="signature question cannot also have fields"):
        load_interview_text("question: Sign\nsignature: s\nfields:\n  - A: a\n", "bad.yml")


def test_the_file_css_class_goes_on_the_file_input_as_class_names_only():
    html = render_fields([{"variable_name": "doc", "label": "Doc", "datatype": "file",
                           "file_css_class": "my-upload big\" onclick=\"x"}], FieldContext())
    assert 'class="form-control dafile my-upload big onclick x"' in html
    assert "onclick=" not in html
