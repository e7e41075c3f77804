"""The installed console script, as a user runs it: exit status, stdin, formats, stderr.

A few tests run the installed script in a subprocess: exit statuses 0, 1 and 2 (compared with
the in-process runner, output for output), stdin, a usage error and the version. They prove the
entry point and the process boundary. The rest call the function the script calls
(``gitpod_resources.cli:main``) in-process with the same argv, stdin, working directory and captured
stdout/stderr, which proves the same about the output at a fraction of the cost.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from gitpod_resources import cli as command
from tests.conftest import BIN, ROOT
from tests.oracles import botocore_s3_host

COMMAND = BIN / "gitpod-resources"
LINE = re.compile(r"^(?P<file>.+):(\d+):(\d+): ([A-Z]+\d{3}) (error|warning): .+ \(fix: .+\)$")

CLEAN = "apiVersion: v1\ncontainerRegistry:\n  inCluster: true\n"
BROKEN = (
    "apiVersion: v1\n"
    "containerRegistry:\n"
    "  inCluster: true\n"
    "  s3storage:\n"
    "    bucket: gitpod-registry\n"
    "    region: eu-west-2\n"
    "    endpoint: s3.amazonaws.com\n"
    "    certificate: {kind: secret, name: container-registry-s3-backend}\n"
)
WARNS = (
    "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n  external:\n"
    "    url: gcr.io/my-gcp-project/gitpod\n"
    "    certificate: {kind: secret, name: container-registry}\n"
)
KOTS = (
    "apiVersion: kots.io/v1beta1\nkind: ConfigValues\nspec:\n  values:\n"
    '    reg_incluster: {value: "0"}\n'
    "    reg_url: {value: harbor.example.com/gitpod}\n"
    "    reg_server: {value: harbor.example.com}\n"
    "    reg_username: {value: gitpod}\n"
    "    reg_password: {valuePlaintext: gitpod-token}\n"
)


def cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed console script in a subprocess."""
    assert COMMAND.exists(), "run `make setup`: it installs the console script into .venv/bin"
    proc = subprocess.run(
        [str(COMMAND), *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
    )
    stderr = proc.stderr.decode()
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), stderr)


def cli_in_process(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """What :func:`cli` returns, from the script's function called in this process."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin, old_cwd = sys.stdin, Path.cwd()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin or b""))
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = command.main(list(args))
            except SystemExit as exit_:  # argparse: usage errors and --version
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdin = old_stdin
        os.chdir(old_cwd)
    stderr = err.getvalue()
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    return subprocess.CompletedProcess(["gitpod-resources", *args], code, out.getvalue(), stderr)


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return name


def test_clean_config_exits_0_and_says_what_it_detected(tmp_path: Path) -> None:
    result = cli_in_process("check", write(tmp_path, "ok.yaml", CLEAN), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Checked ok.yaml as installer config (apiVersion: v1) against Gitpod 2022.11.3: "
        "0 errors, 0 warnings."
    ]
    assert result.stderr == ""


def test_errors_exit_1_with_linter_lines(tmp_path: Path) -> None:
    result = cli_in_process("check", write(tmp_path, "bad.yaml", BROKEN), cwd=tmp_path)
    assert result.returncode == 1
    *lines, summary = result.stdout.splitlines()
    assert len(lines) == 1 and LINE.match(lines[0]), lines
    assert lines[0].startswith("bad.yaml:7:15: REG206 error: ")
    assert f"(fix: write {botocore_s3_host('eu-west-2')!r})" in lines[0]
    assert summary.endswith(": 1 error, 0 warnings.")


def test_in_process_runs_answer_what_the_installed_script_answers(tmp_path: Path) -> None:
    """The in-process runner most tests use is equal to the script, for each exit status."""
    files = [write(tmp_path, "ok.yaml", CLEAN), write(tmp_path, "bad.yaml", BROKEN)]
    for args in (["check", files[0]], ["check", *files], ["check", files[1], "missing.yaml"]):
        expected = cli(*args, cwd=tmp_path)
        got = cli_in_process(*args, cwd=tmp_path)
        assert (got.returncode, got.stdout, got.stderr) == (
            expected.returncode,
            expected.stdout,
            expected.stderr,
        ), args


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    result = cli_in_process("check", write(tmp_path, "gcr.yaml", WARNS), cwd=tmp_path)
    assert result.returncode == 0
    assert " REG214 warning: " in result.stdout


def test_stdin_and_admin_console_detection() -> None:
    result = cli("check", "-", stdin=KOTS.encode())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<stdin> as admin console ConfigValues" in result.stdout


def test_json_format(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", BROKEN)
    result = cli_in_process("check", "--format", "json", bad, cwd=tmp_path)
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)
    assert set(finding) == {
        "file",
        "document",
        "release",
        "line",
        "column",
        "path",
        "code",
        "severity",
        "message",
        "fix",
        "docs",
    }
    assert finding["file"] == "bad.yaml"
    assert (finding["document"], finding["release"]) == (1, "2022.11.3")
    assert (finding["line"], finding["column"]) == (7, 15)
    assert finding["path"] == "containerRegistry.s3storage.endpoint"
    assert (finding["code"], finding["severity"]) == ("REG206", "error")
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)
    assert site_url is not None
    assert finding["docs"] == f"{site_url.group(1)}container-registry/#in-cluster-s3"


def test_json_of_a_clean_file_is_an_empty_array(tmp_path: Path) -> None:
    ok = write(tmp_path, "ok.yaml", CLEAN)
    result = cli_in_process("check", "--format", "json", ok, cwd=tmp_path)
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "cannot read"),
        (b"", "no YAML document"),
        (b"key: [unclosed\n", "not valid YAML"),
        (b"- a list\n", "expected a mapping"),
        (b"apiVersion: v1\nkind: Secret\n", "'Secret'"),
        (bytes(range(256)), "not text: control characters are not allowed (byte 0)"),
        (b"apiVersion: v1\ndomain: " + b"x" * (2 * 1024 * 1024) + b"\n", "larger than"),
    ],
    ids=["missing", "empty", "not-yaml", "not-mapping", "unknown-kind", "binary", "too-big"],
)
def test_unusable_input_exits_2_with_one_stderr_line(
    tmp_path: Path, content: bytes | None, says: str
) -> None:
    name = "input.yaml" if content is None else write(tmp_path, "input.yaml", content)
    result = cli_in_process("check", name, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gitpod-resources: input.yaml: ") and says in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_alias_bomb_through_the_command_exits_2(tmp_path: Path) -> None:
    from tests.checker.test_input import laughs

    result = cli_in_process("check", write(tmp_path, "lol.yaml", laughs()), cwd=tmp_path)
    assert result.returncode == 2
    assert "aliases expand" in result.stderr and len(result.stderr.splitlines()) == 1


def test_several_files_worst_status_wins(tmp_path: Path) -> None:
    ok, bad = write(tmp_path, "ok.yaml", CLEAN), write(tmp_path, "bad.yaml", BROKEN)
    assert cli_in_process("check", ok, bad, cwd=tmp_path).returncode == 1
    result = cli_in_process("check", ok, bad, "missing.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.yaml:7:15: REG206" in result.stdout  # the readable files are still checked
    assert result.stderr.startswith("gitpod-resources: missing.yaml: cannot read")


def test_version_is_the_project_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = cli("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"gitpod-resources {version}")


@pytest.mark.parametrize("args", [(), ("check",), ("chek", "x"), ("check", "--format", "xml", "-")])
def test_usage_errors_are_one_line_and_exit_2(args: tuple[str, ...]) -> None:
    result = (cli if args == ("chek", "x") else cli_in_process)(*args)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "--help" in result.stderr


def test_main_turns_an_unexpected_failure_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last line of defence works; tests call the checker in-process, without it."""
    from gitpod_resources import checker
    from gitpod_resources import cli as command

    def broken(path: str, **_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(checker, "check_path", broken)
    assert command.main(["check", "x.yaml"]) == 2
    err = capsys.readouterr().err
    assert err == "gitpod-resources: internal error: RuntimeError: boom\n"


def test_json_reports_unusable_input_as_entries(tmp_path: Path) -> None:
    """Not a bare [] with exit 2: each unusable file or document is an entry of its own."""
    broken = write(tmp_path, "broken.yaml", "apiVersion: v1\ndomain: [\n")
    result = cli_in_process("check", "--format", "json", broken, cwd=tmp_path)
    assert result.returncode == 2
    [entry] = json.loads(result.stdout)
    assert (entry["code"], entry["file"], entry["document"]) == ("CFG100", "broken.yaml", 1)
    assert "not valid YAML" in entry["message"]
    assert len(result.stderr.splitlines()) == 1
