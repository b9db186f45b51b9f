"""How citizen IDs and phones are shown: whole, or only their last digits.

``Access.masker`` (accounts/access.py) decides which for a user; pages, exports, the API and the trace go through
it rather than masking for themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def mask_national_id(value: str) -> str:
    return f"{'•' * (len(value) - 3)}{value[-3:]}" if value else ""


def mask_phone(value: str) -> str:
    return f"{value[:3]}{'•' * (len(value) - 6)}{value[-3:]}" if len(value) > 6 else ("•" * len(value))


# Citizen IDs (12 digits, CMND 9) and phones (10, old mobiles 11) inside free text, such as a problem message.
_IDENTIFIER_IN_TEXT = re.compile(r"\d{9,}")


@dataclass(frozen=True)
class Masker:
    """How one user sees citizen IDs and phones: whole, or only their last digits. Every page, export, API
    answer and trace goes through ``Access.masker`` rather than deciding for itself."""

    reveal: bool

    def national_id(self, value: str | None) -> str:
        return (value or "") if self.reveal else mask_national_id(value or "")

    def phone(self, value: str | None) -> str:
        return (value or "") if self.reveal else mask_phone(value or "")

    def text(self, value: str) -> str:
        """Free text with every identifier-like number in it masked (a warning naming a converted phone)."""
        if self.reveal:
            return value
        return _IDENTIFIER_IN_TEXT.sub(lambda match: mask_national_id(match.group()), value)
