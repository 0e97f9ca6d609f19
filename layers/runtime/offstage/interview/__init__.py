"""Interview files: YAML -> typed blocks, with errors naming file, line and block."""

from offstage.interview.blocks import (
    AttachmentBlock,
    Block,
    CodeBlock,
    ObjectsBlock,
    QuestionBlock,
    TemplateBlock,
)
from offstage.interview.fields import Choice, Field
from offstage.interview.interview import Interview, name_pattern
from offstage.interview.loader import load_interview_file, load_interview_text
from offstage.interview.registry import InterviewRegistry

__all__ = ["AttachmentBlock", "Block", "Choice", "CodeBlock", "Field", "Interview", "InterviewRegistry",
           "ObjectsBlock", "QuestionBlock", "TemplateBlock", "load_interview_file", "load_interview_text",
           "name_pattern"]
