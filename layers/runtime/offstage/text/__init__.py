"""Text of an interview: Mako rendering against the namespace, then Markdown to HTML."""

from offstage.text.mako import TemplateError, render
from offstage.text.markdown import escape, markdown_to_html, target_html, target_names

__all__ = ["TemplateError", "escape", "markdown_to_html", "render", "target_html", "target_names"]
