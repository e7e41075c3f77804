"""What every probe's network call shares: a timeout, a bounded retry, and credentials that never
print themselves."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

#: Seconds to connect and to wait for an answer, per attempt (``--timeout``).
DEFAULT_TIMEOUT = 10.0
#: Attempts per operation, the first included, when the failure may pass (refused or reset
#: connection, time-out, 502/503/504): at most this many, never more.
ATTEMPTS = 3
#: Seconds before the second attempt; doubled before each next one.
BACKOFF = 0.5


class Secret:
    """A credential: ``str()`` and ``repr()`` never show it; :meth:`reveal` hands it to a client."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class Limits:
    """Time-out per attempt and the number of attempts (``ATTEMPTS`` at most)."""

    timeout: float = DEFAULT_TIMEOUT
    attempts: int = ATTEMPTS
    backoff: float = BACKOFF


def retry(
    operation: Callable[[], T],
    transient: Callable[[Exception], bool],
    limits: Limits,
) -> T:
    """``operation()``, again after a pause while it raises an exception ``transient`` accepts,
    at most ``limits.attempts`` times in all; the last exception propagates."""
    pause = limits.backoff
    for attempt in range(1, max(1, limits.attempts) + 1):
        try:
            return operation()
        except Exception as err:
            if attempt >= limits.attempts or not transient(err):
                raise
        time.sleep(pause)
        pause *= 2
    raise AssertionError("unreachable")  # pragma: no cover
