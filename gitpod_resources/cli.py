"""``gitpod-resources``: the command-line face of the rules (``check`` lints configurations).

Exit status:

- 0: nothing to report (warnings allowed, unless ``--strict``);
- 1: findings: at least one error, or a warning with ``--strict``;
- 2: unusable input (CFG100: a file that cannot be read, is not YAML, not a mapping or not a
  Gitpod config), with one line on stderr per problem;
- 3: usage error (a bad flag or argument), one line on stderr;
- 4: internal error, one line on stderr asking for a report (the traceback with ``--debug``).

No traceback reaches the user otherwise: :func:`main` catches what :func:`execute` lets through.
The output streams escape what they cannot encode (``backslashreplace``), so an ASCII terminal
or ``PYTHONIOENCODING=ascii`` never makes the command fail.
"""

from __future__ import annotations

import argparse
import io
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from gitpod_resources import schema

if TYPE_CHECKING:
    from gitpod_resources.checker import FileResult

PROG = "gitpod-resources"
EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3, 4
#: The former name of :data:`EXIT_FINDINGS`.
EXIT_ERRORS = EXIT_FINDINGS


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 3."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{PROG}: {message} (see '{PROG} --help')\n")


def _version() -> str:
    from gitpod_resources.checker import project

    releases = [r.value for r in schema.RELEASES]
    covered = ", ".join(releases[:-1]) + f" and {releases[-1]}"
    return f"{PROG} {project.version()} (checks Gitpod Self-Hosted {covered})"


class _Version(argparse.Action):
    """``--version`` on one line (argparse's own action wraps it at the terminal width)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(_version())
        parser.exit()


def _codes(text: str) -> tuple[str, ...]:
    """An argparse type: ``--select``/``--ignore`` entries."""
    from gitpod_resources.checker import selection

    try:
        return selection.parse(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def common_options() -> _Parser:
    """Options every subcommand takes (pass as ``parents=[...]``)."""
    p = _Parser(add_help=False)
    p.add_argument("--debug", action="store_true", help="on an internal error, print the traceback")
    return p


def add_release_option(p: argparse.ArgumentParser) -> None:
    """``--release`` (``check`` and ``probe`` take it alike)."""
    p.add_argument(
        "--release",
        choices=[r.value for r in schema.RELEASES],
        default=schema.LATEST.value,
        help=f"the Gitpod release to check against (default {schema.LATEST.value}, the last)",
    )


def parser() -> argparse.ArgumentParser:
    from gitpod_resources.checker.report import FORMATS

    p = _Parser(prog=PROG, description="Check Gitpod Self-Hosted 2022.11 configurations.")
    p.add_argument(
        "--version", action=_Version, nargs=0, help="print the version and the releases it checks"
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser(
        "check",
        parents=[common_options()],
        help="lint installer configs (apiVersion: v1) and admin console ConfigValues exports",
        description="Lint installer configs (apiVersion: v1) and admin console ConfigValues "
        "exports against the guide's rules. Exit 0: nothing to report; 1: errors (or "
        "warnings with --strict); 2: unusable input; 3: usage error; 4: internal error.",
    )
    c.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a file, a directory (every *.yaml and *.yml file below it), or - for standard input",
    )
    c.add_argument(
        "--format",
        choices=FORMATS,
        default="human",
        help="human (default): FILE:LINE:COL lines; json; github: workflow commands; sarif: "
        "SARIF 2.1.0",
    )
    add_release_option(c)
    c.add_argument(
        "--select",
        type=_codes,
        action="append",
        default=[],
        metavar="CODE[,CODE]",
        help="report only these codes or code prefixes (REG, STO107)",
    )
    c.add_argument(
        "--ignore",
        type=_codes,
        action="append",
        default=[],
        metavar="CODE[,CODE]",
        help="do not report these codes or code prefixes",
    )
    c.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 1)")
    c.add_argument(
        "--skip-other-yaml",
        action="store_true",
        help="skip a named file that holds no Gitpod config, with a note, as files found in a "
        "directory are (for pre-commit, which passes every YAML file)",
    )
    # probe (issue 21): the live probe of the registry, buckets and database a config names.
    from gitpod_resources.probe import options as probe_options

    pr = sub.add_parser(
        "probe",
        parents=[common_options()],
        help="prove the registry, buckets and database a config names work, before installing",
        description=probe_options.DESCRIPTION,
    )
    probe_options.add_arguments(pr, FORMATS)
    return p


def execute(args: argparse.Namespace) -> int:
    """Check, print; exceptions propagate (tests; :func:`main` catches them)."""
    if args.command == "probe":
        from gitpod_resources.probe import runner

        return runner.run(args)
    from gitpod_resources import checker
    from gitpod_resources.checker import paths, report, selection

    release = schema.Release(args.release)
    select = selection.Selection.of(args.select, args.ignore)
    results: list[FileResult] = []
    skipped = 0
    for target in paths.expand(args.paths):
        if target.empty_directory:
            results.append(_empty_directory(target.path, release))
            continue
        result = checker.check_path(target.path, release=release)
        if (target.found or args.skip_other_yaml) and result.no_gitpod_config:
            print(report.skipped_line(PROG, result), file=sys.stderr)
            skipped += 1
            continue
        results.append(select.apply(result))
    for r in results:
        for problem in r.problems:
            print(report.problem_line(PROG, problem), file=sys.stderr)
    out = report.render(
        args.format,
        results,
        color=args.format == "human" and report.use_color(sys.stdout),
        skipped=skipped,
        release=release.value,
    )
    sys.stdout.write(out)
    sys.stdout.flush()
    return status(results, strict=args.strict)


def _empty_directory(path: str, release: schema.Release) -> FileResult:
    """A CFG100 result for a directory with nothing to check."""
    from gitpod_resources.checker import UNUSABLE, FileResult, Finding
    from gitpod_resources.checker.model import get

    chk = get(UNUSABLE)
    message = "no *.yaml or *.yml file below this directory"
    finding = Finding(
        path, 1, 1, "", UNUSABLE, chk.severity, message, chk.fix, chk.docs_url, 0, release
    )
    return FileResult(path, findings=[finding], release=release)


def run(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and :func:`execute` (usage errors exit through SystemExit)."""
    return execute(parser().parse_args(argv))


def status(results: Sequence[FileResult], strict: bool = False) -> int:
    """2 if any input was unusable, else 1 if any error (or, ``strict``, any warning) was found,
    else 0."""
    if any(r.unusable is not None for r in results):
        return EXIT_UNUSABLE
    failing = any(r.errors or (strict and r.warnings) for r in results)
    return EXIT_FINDINGS if failing else EXIT_OK


def _safe_streams() -> None:
    """stdout and stderr write what their encoding lacks as backslash escapes."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: :func:`execute`, with any unexpected failure as one line and exit 4."""
    _safe_streams()
    args = parser().parse_args(argv)
    try:
        return execute(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:  # the last line of defence: never a traceback unless asked
        from gitpod_resources.checker import project

        if args.debug:
            traceback.print_exc(file=sys.stderr)
        print(
            f"{PROG}: internal error: {type(err).__name__}: {err}; please report this at "
            f"{project.documentation_url()} with the file",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
