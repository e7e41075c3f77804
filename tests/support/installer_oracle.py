"""The installer's own loader, built from tests/installer_oracle/ and run over YAML documents.

The Go program there is Gitpod 2022.11's ``config.Load`` (loader.go) over the v1 Config structs
transcribed from config.go at the release tags, compiled against Debian's packages of the
libraries install/installer/go.mod pins (sigs.k8s.io/yaml 1.3.0, gopkg.in/yaml.v2 2.4.0,
gopkg.in/yaml.v3 3.0.1), offline, in GOPATH mode. It is compiled once per source hash into
``.cache/installer-oracle/`` and kept running for the test session: one JSON line per document.

:func:`effective` puts the checker's reading of a document (the canonical tree of
``gitpod_resources.checker.loader``) in the normal form the Go program prints, so the two can be
compared.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitpod_resources import goyaml, schema
from gitpod_resources.checker.tree import YMap, YNode, YScalar, YSeq
from gitpod_resources.schema import ListOf, Mapping, ObjectRef, Open, Release, Scalar, Schema

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "installer_oracle"
CACHE = ROOT / ".cache" / "installer-oracle"
#: Where Debian installs Go libraries (golang-k8s-sigs-yaml-dev, golang-gopkg-yaml.v*-dev).
GOPATH = Path("/usr/share/gocode")
LIBRARIES = ("sigs.k8s.io/yaml", "gopkg.in/yaml.v2", "gopkg.in/yaml.v3")
MISSING = (
    "the installer oracle needs Go and Debian's golang-go, golang-k8s-sigs-yaml-dev, "
    "golang-gopkg-yaml.v2-dev and golang-gopkg-yaml.v3-dev"
)


def available() -> bool:
    """Whether Go and the three libraries are installed."""
    return shutil.which("go") is not None and all((GOPATH / "src" / p).is_dir() for p in LIBRARIES)


def build() -> Path:
    """The oracle binary, compiled unless this source was compiled before."""
    sources = sorted(SOURCE.glob("*.go"))
    digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in sources))
    binary = CACHE / digest.hexdigest()[:16] / "installer-oracle"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
            binary.parent.mkdir(parents=True, exist_ok=True)
            env = {
                **os.environ,
                "GOPATH": str(GOPATH),
                "GO111MODULE": "off",
                "GOFLAGS": "",
                "GOCACHE": str(CACHE / "go-build"),
                "CGO_ENABLED": "0",
            }
            out = binary.with_suffix(".tmp")
            subprocess.run(
                ["go", "build", "-o", str(out), *map(str, sources)],
                check=True,
                env=env,
                capture_output=True,
                text=True,
            )
            out.rename(binary)
    return binary


@dataclass(frozen=True)
class Verdict:
    ok: bool
    error: str
    #: The loaded config in normal form (only what is set), when the load succeeded.
    effective: dict[str, Any]


class InstallerOracle:
    """One running oracle process; :meth:`load` sends a document and reads the verdict."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(
            [str(binary)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def load(self, release: Release | str, document: str) -> Verdict:
        request = json.dumps({"release": str(release), "yaml": document}) + "\n"
        with self._lock:
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write(request)
            self._proc.stdin.flush()
            answer = json.loads(self._proc.stdout.readline())
        return Verdict(answer["ok"], answer.get("error", ""), answer.get("effective") or {})

    def keys(self, release: Release | str) -> dict[str, str]:
        """Every key path of the release's Config and its Go type (``*`` for a pointer)."""
        out = subprocess.run(
            [str(self.binary), "-keys", str(release)], check=True, capture_output=True, text=True
        ).stdout
        return dict(line.split("\t") for line in out.splitlines())

    def close(self) -> None:
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()
        self._proc.wait(timeout=10)


# --- the checker's reading, in the same normal form ----------------------------------------------

_UNSET = object()


def _defaults() -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path, value in schema.DEFAULTS.items():
        *parents, last = path.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return tree


def _apply(current: Any, node: YNode, sch: Schema, pointer: bool) -> Any:
    """``node`` decoded over ``current`` the way encoding/json decodes into a Go value."""
    if isinstance(node, YScalar) and node.is_null:
        return _UNSET if pointer else current
    if isinstance(sch, Open):
        return _UNSET
    if isinstance(sch, Mapping | ObjectRef):
        assert isinstance(node, YMap), node
        base = dict(current) if isinstance(current, dict) else {}
        for key, value in node.pairs:
            if key.text in sch.keys:
                child = sch.keys[key.text]
                base[key.text] = _apply(
                    base.get(key.text, _UNSET), value, child, key.text in sch.pointers
                )
        return base
    if isinstance(sch, ListOf):
        assert isinstance(node, YSeq), node
        return [_apply(_UNSET, item, sch.item, False) for item in node.items]
    assert isinstance(node, YScalar), node
    if sch is Scalar.STRING:
        return node.text
    value = node.value
    if sch is Scalar.INT:
        return goyaml.go_int(value)
    return value


def _normal(value: Any, sch: Schema, pointer: bool) -> Any:
    """Only what is set (see the Go program's effectiveValue); _UNSET when nothing is."""
    if value is _UNSET or value is None or isinstance(sch, Open):
        return _UNSET
    if isinstance(sch, Mapping | ObjectRef):
        out = {}
        for key, child in sch.keys.items():
            got = _normal(value.get(key, _UNSET), child, key in sch.pointers)
            if got is not _UNSET:
                out[key] = got
        return out if out or pointer else _UNSET
    if isinstance(sch, ListOf):
        if not value:
            return _UNSET
        items = []
        for item in value:
            got = _normal(item, sch.item, False)
            items.append(
                got if got is not _UNSET else ({} if isinstance(sch.item, ObjectRef) else "")
            )
        return items
    if pointer:
        return value
    return value if value not in ("", False, 0) else _UNSET


def effective(canonical: YMap, release: Release) -> dict[str, Any]:
    """The config the checker reads, with the installer's defaults under it, in normal form."""
    sch = schema.installer_config(release)
    loaded = _apply(_defaults(), canonical, sch, False)
    loaded.pop(schema.API_VERSION_KEY, None)  # the loader removes it before decoding
    result = _normal(loaded, sch, False)
    return {} if result is _UNSET else dict(result)
