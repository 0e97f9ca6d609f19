"""docassemble's document markup (`[CENTER]`, `[NEWLINE]`, `[PAGEBREAK]` ...) in Markdown content.

Before Markdown runs, each tag becomes a marker of private-use characters that Markdown passes through
untouched (a tag written `[CENTER]` could otherwise read as a link reference); the DOCX writer acts on
the markers where they land. Characters-only tags ([NBSP], [EMDASH] ...) become their characters.
"""

from __future__ import annotations

import re

OPEN, CLOSE = "\ue000", "\ue001"
# tags that change a paragraph, a run or the spacing of what follows
TAGS = ("BOLDCENTER", "CENTER", "FLUSHLEFT", "FLUSHRIGHT", "NOINDENT", "BORDER", "NEWLINE", "BR",
        "PAGEBREAK", "NEWPAR", "SKIPLINE", "TAB", "PAGENUM", "SECTIONNUM", "SINGLESPACING",
        "ONEANDAHALFSPACING", "DOUBLESPACING", "TRIPLESPACING", "TIGHTSPACING", "START_INDENTATION",
        "STOP_INDENTATION", "BEGIN_TWOCOL", "BREAK", "END_TWOCOL")
CHARACTERS = {"NBSP": "\u00a0", "ENDASH": "\u2013", "EMDASH": "\u2014", "HYPHEN": "-",
              "BLANK": "___________________", "BLANKFILL": "______________________________"}
_TAG = re.compile(r"\[(" + "|".join(TAGS + tuple(CHARACTERS)) + r")\]|\[INDENTBY ([0-9.]+(?:in|pt|cm))(?: ([0-9.]+(?:in|pt|cm)))?\]")
# [FILE reference] / [FILE reference, width]: a picture (docassemble's; a third part, alt text, is ignored)
FILE_TAG = re.compile(r"\[FILE ([^,\]\s][^,\]]*?)\s*(?:,\s*([0-9.]+(?:in|cm|mm|pt|px))?\s*)?(?:,[^\]]*)?\]")
MARKER = re.compile(OPEN + r"([A-Z_]+)(?: ([^" + CLOSE + r"]*))?" + CLOSE)


def mark(markdown: str) -> str:
    """The Markdown with docassemble's tags turned into markers (or characters)."""
    def replace(match: re.Match[str]) -> str:
        tag = match.group(1)
        if tag is None:  # [INDENTBY left right]
            return f"{OPEN}INDENTBY {match.group(2)} {match.group(3) or '0in'}{CLOSE}"
        if tag in CHARACTERS:
            return CHARACTERS[tag]
        return f"{OPEN}{tag}{CLOSE}"

    count = iter(range(len(markdown)))

    def picture(match: re.Match[str]) -> str:  # by position: Markdown must not touch the reference's _ and *
        return f"{OPEN}FILE {next(count)} {match.group(2) or '-'}{CLOSE}"

    return _TAG.sub(replace, FILE_TAG.sub(picture, markdown))


def file_references(markdown: str) -> list[str]:
    """The references of the [FILE ...] tags in the content, in order."""
    return [match.group(1).strip() for match in FILE_TAG.finditer(markdown)]


def split(text: str) -> list[tuple[str, str]]:
    """Text with markers as pieces: ("text", words) and ("tag", "CENTER" / "INDENTBY 1in 0in")."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in MARKER.finditer(text):
        if match.start() > position:
            pieces.append(("text", text[position:match.start()]))
        pieces.append(("tag", match.group(1) + (f" {match.group(2)}" if match.group(2) else "")))
        position = match.end()
    if position < len(text):
        pieces.append(("text", text[position:]))
    return pieces


_PREVIEW_BOLD = re.compile(r"^([ \t]*)\[BOLDCENTER\][ \t]*(\S.*)$", re.M)
# what the screens' Markdown (offstage.text.markdown) does not act on: dropped from a preview
_PREVIEW_DROPPED = re.compile(r"\[(CENTER|FLUSHLEFT|FLUSHRIGHT|NOINDENT|BORDER|SINGLESPACING|ONEANDAHALFSPACING|"
                              r"DOUBLESPACING|TRIPLESPACING|TIGHTSPACING|START_INDENTATION|STOP_INDENTATION|"
                              r"BEGIN_TWOCOL|END_TWOCOL|PAGENUM|SECTIONNUM)\][ \t]*|\[INDENTBY [^\]]*\][ \t]*")


def for_preview(markdown: str) -> str:
    """The content as the screen's Preview shows it: [BOLDCENTER] lines bold, layout-only tags dropped,
    paragraph and column breaks as paragraph breaks."""
    text = _PREVIEW_BOLD.sub(lambda m: f"{m.group(1)}**{m.group(2).strip()}**", markdown)
    text = re.sub(r"\[(NEWPAR|BREAK)\]", "\n\n", text)
    text = FILE_TAG.sub("", text)  # the preview is text: pictures are in the PDF and DOCX
    return _PREVIEW_DROPPED.sub("", text)
