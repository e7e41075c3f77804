"""The installed console script, as a user runs it: exit status, stdin, formats, stderr.

A few tests run the installed script in a subprocess: exit statuses 0, 1 and 2 (compared with
the in-process runner, output for output), stdin, a usage error, the version, ``python -m`` and
an ASCII-only output encoding. They prove the entry point and the process boundary. The rest
call the function the script calls (``gitpod_resources.cli:main``) in-process with the same argv,
stdin, working directory and captured stdout/stderr, which proves the same about the output at a
fraction of the cost.
"""

from __future__ import annotations

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
from tests.checker.cli_support import (
    BROKEN,
    CLEAN,
    COMMAND,
    KOTS,
    LINE,
    SUPPRESSED,
    WARNS,
    cli,
    cli_in_process,
    project_url,
    write,
)
from tests.checker.helpers import laughs
from tests.conftest import ROOT
from tests.oracles import botocore_s3_host


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
        "suppressed",
    }
    assert finding["suppressed"] is False
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


def test_version_is_the_project_version_and_names_the_releases() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = cli("--version")
    assert (result.returncode, result.stdout.strip()) == (
        0,
        f"gitpod-resources {version} (checks Gitpod Self-Hosted 2022.11.0, 2022.11.1, "
        "2022.11.2 and 2022.11.3)",
    )


def test_python_m_gitpod_resources_runs_the_command(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", BROKEN)
    proc = subprocess.run(
        [sys.executable, "-m", "gitpod_resources", "check", bad],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == cli_in_process("check", bad, cwd=tmp_path).stdout
    version = subprocess.run(
        [sys.executable, "-m", "gitpod_resources", "--version"], capture_output=True, text=True
    )
    assert version.stdout == cli("--version").stdout


USAGE_ERRORS = [
    (),
    ("check",),
    ("chek", "x"),
    ("check", "--format", "xml", "-"),
    ("check", "--ignore", "reg-214", "-"),
    ("check", "--select", "XYZ", "-"),
    ("check", "--ignore", "", "-"),
    ("check", "--ignore", "CFG100", "-"),
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=str)
def test_usage_errors_are_one_line_and_exit_3(args: tuple[str, ...]) -> None:
    result = (cli if args == ("chek", "x") else cli_in_process)(*args)
    assert result.returncode == 3, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "--help" in result.stderr
    if "--ignore" in args or "--select" in args:
        flag = "--ignore" if "--ignore" in args else "--select"
        assert f"argument {flag}: " in result.stderr  # names the flag ...
        assert "REG214" in result.stderr  # ... and shows the allowed form


def test_main_turns_an_unexpected_failure_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last line of defence works; tests call the checker in-process, without it."""
    from gitpod_resources import checker
    from gitpod_resources import cli as command

    def broken(path: str, **_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(checker, "check_path", broken)
    assert command.main(["check", "x.yaml"]) == 4
    err = capsys.readouterr().err
    assert err == (
        "gitpod-resources: internal error: RuntimeError: boom; please report this at "
        f"{project_url()} with the file\n"
    )
    assert command.main(["check", "--debug", "x.yaml"]) == 4
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "RuntimeError: boom" in err
    assert err.endswith(f"{project_url()} with the file\n")


def test_json_reports_unusable_input_as_entries(tmp_path: Path) -> None:
    """Not a bare [] with exit 2: each unusable file or document is an entry of its own."""
    broken = write(tmp_path, "broken.yaml", "apiVersion: v1\ndomain: [\n")
    result = cli_in_process("check", "--format", "json", broken, cwd=tmp_path)
    assert result.returncode == 2
    [entry] = json.loads(result.stdout)
    assert (entry["code"], entry["file"], entry["document"]) == ("CFG100", "broken.yaml", 1)
    assert "not valid YAML" in entry["message"]
    assert len(result.stderr.splitlines()) == 1


# --- exit statuses ---------------------------------------------------------------------------


def test_exit_statuses_are_distinct_and_documented(tmp_path: Path) -> None:
    """0 clean, 1 findings, 2 unusable input, 3 usage error, 4 internal error: the table on the
    check page says the same, row for row."""
    assert (command.EXIT_OK, command.EXIT_FINDINGS, command.EXIT_UNUSABLE) == (0, 1, 2)
    assert (command.EXIT_USAGE, command.EXIT_INTERNAL) == (3, 4)
    page = (ROOT / "docs" / "check.md").read_text()
    rows = dict(re.findall(r"^\| `(\d)` \| (.+) \|$", page, re.M))
    assert sorted(rows) == ["0", "1", "2", "3", "4"], rows
    assert "--strict" in rows["1"] and "CFG100" in rows["2"] and "internal" in rows["4"]


def test_strict_makes_warnings_fail(tmp_path: Path) -> None:
    gcr = write(tmp_path, "gcr.yaml", WARNS)
    assert cli_in_process("check", gcr, cwd=tmp_path).returncode == 0
    result = cli_in_process("check", "--strict", gcr, cwd=tmp_path)
    assert result.returncode == 1 and " REG214 warning: " in result.stdout
    ok = write(tmp_path, "ok.yaml", CLEAN)
    assert cli_in_process("check", "--strict", ok, cwd=tmp_path).returncode == 0


# --- --select and --ignore -------------------------------------------------------------------


def codes_reported(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.split()[1] for line in result.stdout.splitlines()[:-1]]


def test_ignore_and_select_take_codes_and_prefixes(tmp_path: Path) -> None:
    # REG214 (warning) and CFG106 (warning: key case) in one file.
    text = WARNS.replace("  external:", "  External:")
    name = write(tmp_path, "two.yaml", text)
    assert sorted(codes_reported(cli_in_process("check", name, cwd=tmp_path))) == [
        "CFG106",
        "REG214",
    ]
    for args, expected in [
        (("--ignore", "REG214"), ["CFG106"]),
        (("--ignore", "REG"), ["CFG106"]),
        (("--ignore", "cfg106,REG214"), []),
        (("--select", "REG"), ["REG214"]),
        (("--select", "CFG,REG2"), ["CFG106", "REG214"]),
        (("--select", "REG", "--ignore", "REG214"), []),
        (("--select", "CFG106", "--select", "REG214"), ["CFG106", "REG214"]),
    ]:
        result = cli_in_process("check", *args, name, cwd=tmp_path)
        assert sorted(codes_reported(result)) == expected, args


def test_ignore_never_hides_unusable_input(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.yaml", "apiVersion: v1\ndomain: [\n")
    result = cli_in_process("check", "--select", "REG", "--ignore", "CFG", broken, cwd=tmp_path)
    assert result.returncode == 2 and "not valid YAML" in result.stderr


def test_ignored_errors_do_not_fail_the_run(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", BROKEN)
    result = cli_in_process("check", "--ignore", "REG206", bad, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.endswith(": 0 errors, 0 warnings.\n")


# --- inline suppression ----------------------------------------------------------------------


def test_inline_comment_suppresses_and_the_summary_counts_it(tmp_path: Path) -> None:
    name = write(tmp_path, "gcr.yaml", SUPPRESSED)
    result = cli_in_process("check", "--strict", name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        "Checked gcr.yaml as installer config (apiVersion: v1) against Gitpod 2022.11.3: "
        "0 errors, 0 warnings, 1 suppressed."
    ]


def test_inline_comment_takes_several_codes_and_only_its_own_line(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\n"
        "containerRegistry:\n"
        "  inCluster: false\n"
        "  External:  # gitpod-resources: ignore[CFG106, REG999]\n"
        "    url: gcr.io/my-gcp-project/gitpod  # gitpod-resources: ignore[REG215,REG214]\n"
        "    certificate: {kind: secret, name: container-registry}\n"
    )
    result = cli_in_process("check", write(tmp_path, "c.yaml", text), cwd=tmp_path)
    assert (result.returncode, codes_reported(result)) == (0, [])
    assert result.stdout.endswith("0 errors, 0 warnings, 2 suppressed.\n")
    # On another line, the comment suppresses nothing.
    moved = text.replace("  # gitpod-resources: ignore[REG215,REG214]", "").replace(
        "  inCluster: false\n", "  inCluster: false  # gitpod-resources: ignore[REG214]\n"
    )
    result = cli_in_process("check", write(tmp_path, "d.yaml", moved), cwd=tmp_path)
    assert codes_reported(result) == ["REG214"]


def test_a_marker_inside_a_string_is_no_comment(tmp_path: Path) -> None:
    text = WARNS.replace(
        "    url: gcr.io/my-gcp-project/gitpod\n",
        '    url: "gcr.io/my-gcp-project/gitpod # gitpod-resources: ignore[REG214]"\n',
    )
    result = cli_in_process("check", write(tmp_path, "s.yaml", text), cwd=tmp_path)
    assert "suppressed" not in result.stdout
    assert any(code in codes_reported(result) for code in ("REG204", "REG214"))


def test_json_lists_suppressed_findings_with_their_flag(tmp_path: Path) -> None:
    name = write(tmp_path, "gcr.yaml", SUPPRESSED)
    result = cli_in_process("check", "--format", "json", name, cwd=tmp_path)
    [finding] = json.loads(result.stdout)
    assert (finding["code"], finding["suppressed"], finding["line"]) == ("REG214", True, 5)
    assert result.returncode == 0


# --- several paths and directories -----------------------------------------------------------


def test_a_directory_is_every_yaml_file_below_it_sorted(tmp_path: Path) -> None:
    (tmp_path / "cfg" / "b").mkdir(parents=True)
    (tmp_path / "cfg" / ".hidden").mkdir()
    write(tmp_path, "cfg/z.yml", BROKEN)
    write(tmp_path, "cfg/b/a.yaml", WARNS)
    write(tmp_path, "cfg/a.yaml", CLEAN)
    write(tmp_path, "cfg/notes.txt", "apiVersion: v1\ndomain: [\n")
    write(tmp_path, "cfg/.hidden/x.yaml", "apiVersion: v1\ndomain: [\n")
    write(tmp_path, "cfg/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\n")
    write(tmp_path, "cfg/workflow.yml", "- name: a list, not a Gitpod config\n")
    result = cli_in_process("check", "cfg", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    *lines, summary = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["cfg/b/a.yaml", "cfg/z.yml"]
    assert summary.startswith("Checked cfg/a.yaml as installer config")
    assert summary.index("cfg/a.yaml") < summary.index("cfg/b/a.yaml") < summary.index("cfg/z.yml")
    assert "2 files skipped (no Gitpod config in them)" in summary
    assert result.stderr.splitlines() == [
        "gitpod-resources: note: cfg/deployment.yaml: skipped, no Gitpod config in it "
        "(apiVersion: 'apps/v1' is not a Gitpod config; expected apiVersion: v1 (installer "
        "config) or kind: ConfigValues (admin console export))",
        "gitpod-resources: note: cfg/workflow.yml: skipped, no Gitpod config in it "
        "(expected a mapping (an installer config or a ConfigValues document), found a list)",
    ]


def test_a_directory_of_kubernetes_yaml_alone_passes(tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    write(tmp_path, "k8s/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n")
    result = cli_in_process("check", "k8s", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 file skipped" in result.stdout and "note: k8s/svc.yaml" in result.stderr


def test_a_named_file_that_is_no_gitpod_config_is_still_unusable_input(tmp_path: Path) -> None:
    name = write(tmp_path, "svc.yaml", "apiVersion: v1\nkind: Service\n")
    assert cli_in_process("check", name, cwd=tmp_path).returncode == 2
    result = cli_in_process("check", "--skip-other-yaml", name, cwd=tmp_path)
    assert result.returncode == 0 and "note: svc.yaml: skipped" in result.stderr


def test_broken_yaml_in_a_directory_is_unusable_input(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    write(tmp_path, "d/broken.yaml", "apiVersion: v1\ndomain: [\n")
    result = cli_in_process("check", "d", cwd=tmp_path)
    assert result.returncode == 2 and "d/broken.yaml: " in result.stderr


def test_a_directory_without_yaml_is_unusable_input(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = cli_in_process("check", "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "gitpod-resources: empty: no *.yaml or *.yml file below this directory\n"
    )


# --- output: any file name, any encoding, colour ---------------------------------------------

HOSTILE = "bad\n.yaml:1:1: CFG101 error: forged (fix: none)\x1b[2J\u202e.yaml"


def test_a_file_name_cannot_forge_a_finding_line(tmp_path: Path) -> None:
    name = write(tmp_path, HOSTILE, BROKEN)
    for fmt in ("human", "github"):
        result = cli_in_process("check", "--format", fmt, name, cwd=tmp_path)
        lines = result.stdout.splitlines()
        assert len(lines) == 2, lines  # one finding, one summary
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    human = cli_in_process("check", name, cwd=tmp_path).stdout
    assert human.startswith(
        "bad\\n.yaml:1:1: CFG101 error: forged (fix: none)\\x1b[2J\\u202e.yaml:7:15: REG206 error: "
    )
    github = cli_in_process("check", "--format", "github", name, cwd=tmp_path).stdout
    assert github.startswith(
        "::error file=bad%0A.yaml%3A1%3A1%3A CFG101 error%3A forged (fix%3A none)\\x1b[2J"
        "\\u202e.yaml,line=7,col=15,title=REG206::"
    )
    missing = cli_in_process("check", "gone\nx.yaml", cwd=tmp_path)
    assert missing.stderr.startswith("gitpod-resources: gone\\nx.yaml: cannot read")


def test_ascii_output_encoding_does_not_crash(tmp_path: Path) -> None:
    text = BROKEN.replace("bucket: gitpod-registry", "bucket: gitpod-registry  # é")
    name = write(tmp_path, "ünïcode.yaml", text)
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for fmt in ("human", "json", "github", "sarif"):
        proc = subprocess.run(
            [str(COMMAND), "check", "--format", fmt, name],
            capture_output=True, cwd=tmp_path, env=env, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 1, proc.stderr
        assert b"Traceback" not in proc.stderr and proc.stderr == b""
        assert b"\\xfc" in proc.stdout or b"\\u00fc" in proc.stdout or b"%C3%BC" in proc.stdout
    undecodable = os.fsdecode(b"caf\xe9.yaml")
    (tmp_path / undecodable).write_text(BROKEN)
    proc = subprocess.run(
        [str(COMMAND), "check", undecodable], capture_output=True, cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 1 and proc.stdout.startswith(b"caf\\xe9.yaml:7:15: REG206")


def test_colour_on_a_terminal_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gitpod_resources.checker import report

    name = write(tmp_path, "gcr.yaml", WARNS)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    piped = cli_in_process("check", name, cwd=tmp_path)
    assert "\x1b[" not in piped.stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    forced = cli_in_process("check", name, cwd=tmp_path)
    assert "\x1b[1mREG214\x1b[0m \x1b[1;33mwarning\x1b[0m: " in forced.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli_in_process("check", name, cwd=tmp_path).stdout
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("FORCE_COLOR")
    tty = io.StringIO()
    tty.isatty = lambda: True  # type: ignore[method-assign]
    assert report.use_color(tty)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not report.use_color(tty)


# --- GitHub workflow commands ----------------------------------------------------------------


def test_github_format_is_one_workflow_command_per_finding(tmp_path: Path) -> None:
    bad, gcr = write(tmp_path, "bad.yaml", BROKEN), write(tmp_path, "gcr.yaml", WARNS)
    result = cli_in_process("check", "--format", "github", bad, gcr, cwd=tmp_path)
    assert result.returncode == 1
    *commands, summary = result.stdout.splitlines()
    assert commands[0].startswith("::error file=bad.yaml,line=7,col=15,title=REG206::")
    assert commands[1].startswith("::warning file=gcr.yaml,line=5,col=10,title=REG214::")
    assert len(commands) == 2 and summary.startswith("Checked ")


def test_github_format_escapes_as_the_toolkit_does() -> None:
    from gitpod_resources.checker import report

    assert report.github_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert report.github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert report.github_property("x\x1by") == "x\\x1by"
