"""``mkdocs build --strict`` of the small test sites, without paying Python's start-up each time.

A subprocess running this file imports MkDocs, Material, mkdocs-macros and the Markdown
extensions once (not the rules module: each site brings its own copy), then forks one child per
build. The child runs MkDocs' own command-line entry point (``mkdocs.__main__:cli``, what
``.venv/bin/mkdocs`` calls) with the same arguments, working directory and environment as
:func:`tests.conftest.mkdocs_build`, its stdout and stderr in files; its exit status is the
build's. Each build is a fresh fork of the same warm parent, so no state passes between builds.

What this saves is the ~0.8 s of interpreter start and imports per build. The real command still
runs as a plain subprocess for the session's site and in ``test_failure_modes``.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
from pathlib import Path

SERVER = Path(__file__).resolve()
TIMEOUT = 300


def _serve() -> None:
    """Read one JSON request per line, build it in a forked child, answer its exit status."""
    import mkdocs.__main__
    import mkdocs.commands.build
    import mkdocs_macros.plugin  # noqa: F401
    import pygments.lexers  # noqa: F401
    import pymdownx.highlight
    import pymdownx.superfences
    import pymdownx.tabbed  # noqa: F401
    from material.plugins.search import plugin  # noqa: F401

    for line in sys.stdin:
        config, site_dir, out, err = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: one build, then exit with its status
            code = 1
            try:
                os.chdir(Path(config).parent)
                for fd, path in ((1, out), (2, err)):
                    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                    os.dup2(target, fd)
                    os.close(target)
                argv = ["build", "--strict", "-f", config, "-d", site_dir]
                mkdocs.__main__.cli.main(args=argv, prog_name="mkdocs")
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)


_server: subprocess.Popen[str] | None = None


def _stop() -> None:
    if _server is not None and _server.poll() is None:
        assert _server.stdin is not None
        _server.stdin.close()
        try:
            _server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _server.kill()
            _server.wait()


def _started() -> subprocess.Popen[str]:
    global _server
    if _server is None or _server.poll() is not None:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        _server = subprocess.Popen(
            [sys.executable, str(SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        atexit.register(_stop)
    return _server


def mkdocs_build_warm(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """What :func:`tests.conftest.mkdocs_build` returns, from a fork of a warm MkDocs process."""
    server = _started()
    assert server.stdin is not None and server.stdout is not None
    out, err = site_dir.parent / "mkdocs.stdout", site_dir.parent / "mkdocs.stderr"
    request = [str(config), str(site_dir), str(out), str(err)]
    server.stdin.write(json.dumps(request) + "\n")
    server.stdin.flush()
    ready, _, _ = select.select([server.stdout], [], [], TIMEOUT)
    if not ready:
        server.kill()
        raise TimeoutError(f"mkdocs build of {config} took more than {TIMEOUT} s")
    answer = server.stdout.readline()
    if not answer:
        raise RuntimeError(f"the warm mkdocs process died building {config}")
    argv = ["mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)]
    return subprocess.CompletedProcess(
        argv, int(answer), out.read_text(errors="replace"), err.read_text(errors="replace")
    )


if __name__ == "__main__":
    _serve()
