"""The claims file (gitpod_resources/data/claims.yaml): the versions its other projects are read
at are the ones the rules name, and a malformed source stops the load with the claim named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gitpod_resources import registry, sources, storage


def projects() -> dict[str, dict[str, str]]:
    doc = yaml.safe_load(sources.CLAIMS_FILE.read_text(encoding="utf-8"))
    return dict(doc["projects"])


def test_the_projects_are_read_at_the_versions_the_rules_name() -> None:
    found = projects()
    assert found["minio-go"]["version"] == storage.MINIO_GO_VERSION
    shipped = {f"distribution-{r.distribution}" for r in registry.IN_CLUSTER_REGISTRIES}
    assert shipped <= set(found), shipped - set(found)
    for name in shipped:
        assert found[name]["version"] == "v" + name.removeprefix("distribution-")


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ({"gitpod": "a/b.go", "lines": "9-3"}, "lines 9-3 are not a range"),
        ({"gitpod": "a/b.go", "lines": 3, "line": 4}, "unknown keys ['line']"),
        ({"harbor": "a/b.go", "lines": "1-2", "whatt": "x"}, "unknown keys ['whatt']"),
        ({"gitpod": "a/b.go"}, "no 'lines'"),
    ],
)
def test_a_malformed_source_names_its_claim(
    source: dict[str, object], error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = {"projects": projects(), "claims": {"x.y": {"statement": "s", "sources": [source]}}}
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    monkeypatch.setattr(sources, "CLAIMS_FILE", path)
    sources._claims.cache_clear()
    try:
        with pytest.raises(ValueError) as raised:
            sources.claims()
        assert str(raised.value) == f"claims.yaml: claim x.y: {error}"
    finally:
        monkeypatch.undo()
        sources._claims.cache_clear()
