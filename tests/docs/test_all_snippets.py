"""Every snippet a reader can copy from any page: YAML parses, kubectl commands are well formed and
their docker server is the registry server of the config beside them."""

from __future__ import annotations

import re
import shlex

import yaml

from tests.conftest import Site


def blocks(site: Site, lang: str) -> list[tuple[str, str]]:
    out = []
    for page in site.pages():
        for div in site.soup(page).select(f"div.language-{lang}.highlight"):
            code = div.select_one("pre code")
            assert code is not None, page
            out.append((page, code.get_text()))
    return out


def test_every_yaml_block_parses(site: Site) -> None:
    found = blocks(site, "yaml")
    assert found, "no YAML block found: the language class is missing"
    for page, text in found:
        assert "!!" not in text, f"{page}: an explicit tag a reader would copy:\n{text}"
        for doc in yaml.safe_load_all(text):
            assert isinstance(doc, dict), f"{page}: YAML block is not a mapping:\n{text}"


def test_every_kubectl_command_is_well_formed(site: Site) -> None:
    kubectl = [(p, t) for p, t in blocks(site, "bash") if t.startswith("kubectl ")]
    # Besides secrets, the troubleshooting page reads and restarts a Deployment.
    others = [(p, t) for p, t in kubectl if not t.startswith("kubectl create secret ")]
    for page, text in others:
        argv = shlex.split(text.replace("\\\n", " "))
        assert argv[1:2] == ["logs"] or argv[1:3] == ["rollout", "restart"], (page, argv)
        assert any(a.startswith("deployment/") for a in argv), (page, argv)
    commands = [(p, t) for p, t in kubectl if (p, t) not in others]
    assert commands
    for page, text in commands:
        argv = shlex.split(text.replace("\\\n", " "))
        assert argv[:3] == ["kubectl", "create", "secret"], (page, argv)
        assert argv[3] in {"generic", "docker-registry"}, (page, argv)
        flags = [a for a in argv[5:]]
        assert all(a.startswith("--") and "=" in a for a in flags), (page, argv)
        for a in flags:
            assert "AKIA" not in a and "BEGIN PRIVATE KEY" not in a, (page, a)
        if argv[3] == "docker-registry":
            server = dict(a.split("=", 1) for a in flags)["--docker-server"]
            assert "/" not in server and "://" not in server, (page, server)


NAMESPACE_FLAG = re.compile(r'^--namespace="\$(?P<var>[A-Z_]+)"$')
EXPORT = re.compile(r"^export (?P<var>[A-Z_]+)=\S+", re.MULTILINE)


def test_every_secret_command_names_the_namespace_the_page_has_the_reader_set(site: Site) -> None:
    """Gitpod reads its secrets from its own namespace; kubectl's default is the current one.
    Every kubectl command names it through a variable, and the page sets that variable in a
    block that comes before the first command."""
    pages = 0
    for page in site.pages():
        blocks = [
            code.get_text()
            for code in site.soup(page).select("div.language-bash.highlight pre code")
        ]
        commands = [b for b in blocks if b.startswith("kubectl ")]
        if not commands:
            continue
        pages += 1
        first = blocks.index(commands[0])
        exported = {m["var"] for b in blocks[:first] for m in EXPORT.finditer(b)}
        for text in commands:
            argv = shlex.split(text.replace("\\\n", " "), posix=False)
            flags = [NAMESPACE_FLAG.match(a) for a in argv]
            named = {f["var"] for f in flags if f is not None}
            assert len(named) == 1, (page, text)
            assert named <= exported, f"{page}: {named} is not set before the first command"
    assert pages >= 3
