"""``gitpod-resources``: the command-line face of the rules (``check`` lints configurations).

Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 unusable input (a file that
cannot be read, is not YAML, not a mapping or not a Gitpod config), with one line on stderr per
problem. No traceback reaches the user: :func:`main` catches what :func:`run` lets through.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import TYPE_CHECKING, NoReturn

from gitpod_resources import schema

if TYPE_CHECKING:
    from gitpod_resources.checker import FileResult

PROG = "gitpod-resources"
EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2, like unusable input."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_UNUSABLE, f"{PROG}: {message} (see '{PROG} --help')\n")


def _version() -> str:
    try:
        return metadata.version(PROG)
    except metadata.PackageNotFoundError:
        return "unknown"


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Check Gitpod Self-Hosted 2022.11 configurations.")
    p.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser(
        "check",
        help="lint installer configs (apiVersion: v1) and admin console ConfigValues exports",
        description="Lint installer configs (apiVersion: v1) and admin console ConfigValues "
        "exports against the guide's rules. Exit 0: no errors; 1: errors; 2: unusable input.",
    )
    c.add_argument("paths", nargs="+", metavar="PATH", help="a file, or - for standard input")
    c.add_argument("--format", choices=("human", "json"), default="human")
    c.add_argument(
        "--release",
        choices=[r.value for r in schema.RELEASES],
        default=schema.LATEST.value,
        help=f"the Gitpod release to check against (default {schema.LATEST.value}, the last)",
    )
    return p


def run(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, check, print; exceptions other than usage errors propagate (tests)."""
    from gitpod_resources import checker
    from gitpod_resources.checker import report

    args = parser().parse_args(argv)
    release = schema.Release(args.release)
    results = [checker.check_path(path, release=release) for path in args.paths]
    for r in results:
        for problem in r.problems:
            print(report.problem_line(PROG, problem), file=sys.stderr)
    out = report.as_json(results) if args.format == "json" else report.human(results)
    sys.stdout.write(out)
    sys.stdout.flush()
    return status(results)


def status(results: Sequence[FileResult]) -> int:
    """2 if any input was unusable, else 1 if any error was found, else 0."""
    if any(r.unusable is not None for r in results):
        return EXIT_UNUSABLE
    return EXIT_ERRORS if any(r.errors for r in results) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: :func:`run`, with any unexpected failure as one line and exit 2."""
    try:
        return run(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:  # the last line of defence: never a traceback
        print(f"{PROG}: internal error: {type(err).__name__}: {err}", file=sys.stderr)
        return EXIT_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
