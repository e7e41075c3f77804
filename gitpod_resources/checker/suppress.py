"""Inline suppression: ``# gitpod-resources: ignore[REG214]`` on the line of a finding.

Only a YAML comment counts: the comments are read with PyYAML's own scanner, so the marker
inside a quoted or plain value (``url: "x # gitpod-resources: ignore[REG214]"``) suppresses
nothing. Several codes are separated by commas. CFG100 (input that could not be checked) is never
suppressed. The suppressed findings are kept apart, counted in the summary and listed in JSON.
"""

from __future__ import annotations

import re

import yaml

from .model import Finding

#: What a comment must hold; a file without it is not scanned again.
MARKER = "gitpod-resources:"
COMMENT = re.compile(r"#\s*gitpod-resources:\s*ignore\[([^\]]*)\]")
NEVER = "CFG100"


class _Comments(yaml.SafeLoader):
    """PyYAML's pure scanner, keeping the comments it skips: (0-based line, text)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.comments: list[tuple[int, str]] = []

    def scan_to_next_token(self) -> None:
        # yaml/scanner.py's Scanner.scan_to_next_token, recording each comment.
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        found = False
        while not found:
            while self.peek() == " ":
                self.forward()
            if self.peek() == "#":
                line, chars = self.line, []
                while self.peek() not in "\0\r\n\x85\u2028\u2029":
                    chars.append(self.peek())
                    self.forward()
                self.comments.append((line, "".join(chars)))
            if self.scan_line_break():  # type: ignore[no-untyped-call]
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                found = True


def comments(data: bytes) -> dict[int, set[str]]:
    """1-based line -> the codes its ``gitpod-resources: ignore[...]`` comment names (the
    comments before a YAML error, where there is one)."""
    scanner = _Comments(data.decode("utf-8-sig", errors="replace"))
    try:
        while scanner.check_token():
            scanner.get_token()  # type: ignore[no-untyped-call]
    except yaml.YAMLError:
        pass  # the file's CFG100 says why; comments before the error still count
    finally:
        scanner.dispose()
    lines: dict[int, set[str]] = {}
    for line, text in scanner.comments:
        for found in COMMENT.finditer(text):
            codes = {c.strip().upper() for c in found.group(1).split(",") if c.strip()}
            lines.setdefault(line + 1, set()).update(codes)
    return lines


def split(data: bytes, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(kept, suppressed): a finding is suppressed by a comment on its line naming its code."""
    if MARKER.encode() not in data:
        return findings, []
    lines = comments(data)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for f in findings:
        hit = f.code != NEVER and f.code in lines.get(f.line, ())
        (suppressed if hit else kept).append(f)
    return kept, suppressed
