"""macros/ stays typed (mypy --strict) and linted (ruff), as part of every `make test`."""

from __future__ import annotations

import subprocess

from tests.conftest import BIN, ROOT


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_lint() -> None:
    result = run(str(BIN / "ruff"), "check", "macros", "tests", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run(str(BIN / "ruff"), "format", "--check", "macros", "tests", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run(str(BIN / "mypy"), "--strict", "macros")
    assert result.returncode == 0, result.stdout + result.stderr
