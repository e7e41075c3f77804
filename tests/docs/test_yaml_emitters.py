"""Every installer config the site shows is PyYAML's pure emitter's output, byte for byte.

``config.to_yaml`` may use libyaml's emitter (faster builds); this reads each config back out of
the built pages and writes it again with both emitters: the page text must equal both.
"""

from __future__ import annotations

import yaml

from gitpod_resources import config
from macros.render import TAB_LABELS
from tests.conftest import Site
from tests.examples import examples


def dump(doc: object, dumper: type) -> str:
    return yaml.dump(doc, Dumper=dumper, sort_keys=False, default_flow_style=False)


def test_every_installer_config_on_the_site_is_the_pure_emitters(site: Site) -> None:
    checked = 0
    for page in site.pages():
        for example in examples(site.soup(page), page):
            text = example.code(TAB_LABELS[1])
            if text is None:
                continue
            doc = yaml.safe_load(text)
            pure, fast = dump(doc, yaml.SafeDumper), dump(doc, yaml.CSafeDumper)
            assert pure == text, f"{page} {example.kind}: not PyYAML's output"
            assert fast == text, f"{page} {example.kind}: libyaml writes it differently"
            assert config.plain_document(doc)
            checked += 1
    assert checked >= 10, "the pages hold fewer installer configs than expected"
