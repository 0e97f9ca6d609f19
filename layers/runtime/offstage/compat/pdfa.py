"""docassemble.base.pdfa as offstage provides it: `pdf_to_pdfa`."""

from __future__ import annotations

from offstage.library.pdfa import pdf_to_pdfa

__all__ = ["pdf_to_pdfa"]
