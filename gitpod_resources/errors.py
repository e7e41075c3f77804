"""The one exception type the rules raise for bad input."""

from __future__ import annotations


class RuleError(ValueError):
    """Bad input: names the field, the bad value and the allowed form, in one line.

    Every rule raises this and nothing else for input it cannot accept, so callers (macros,
    the checker, the builder page's exported messages) can show ``str(err)`` as is.
    """

    def __init__(self, field: str, value: object, allowed: str, hint: str = "") -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.hint = hint
        message = f"{field}: {value!r} is not valid; expected {allowed}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)
