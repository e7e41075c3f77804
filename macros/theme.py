"""Everything this project assumes about the theme, in one module.

Material for MkDocs (and Zensical, whose ``classic`` variant ships Material's markup) is used as
shipped: no script patches it and no template is edited as a string. The site's stylesheets,
its one partial override (``overrides/partials/search.html``, Material's search partial with the
dialog named) and the tests rely only on the markup, classes and paths named here. The build
stops with one line when the installed theme is outside the versions the suite was run against
(:func:`version_problem`), so an upgrade is a decision, not a surprise.
"""

from __future__ import annotations

import sys
from importlib import metadata

#: Versions the browser suite and ``make audit`` were run against, as [low, high) per engine.
TESTED: dict[str, tuple[str, str]] = {
    "mkdocs-material": ("9.6.23", "9.9"),
    "zensical": ("0.0.73", "0.0.74"),
}

#: A code block's copy button: Material 9.7 and later, and 9.6.
COPY_BUTTON = "button.md-code__button[data-md-type='copy'], button.md-clipboard"
#: The palette toggle Material shows (the other one is hidden).
PALETTE_TOGGLE = "form[data-md-component='palette'] label:not([hidden])"
#: The body attribute holding the colour scheme, and its value per palette.
SCHEME_ATTRIBUTE = "data-md-color-scheme"
SCHEMES = {"light": "default", "dark": "slate"}
#: The search field and a result's link (Material's search; Zensical has a dialog button).
SEARCH_INPUT = "input.md-search__input"
SEARCH_RESULT_LINK = ".md-search-result__link"
SEARCH_DIALOG = ".md-search"
#: One result group (a page and its matching sections), the text above the results (rewritten on
#: every answer of the search worker), and the attribute holding a result's score.
SEARCH_RESULT_ITEM = ".md-search-result__item"
SEARCH_RESULT_META = ".md-search-result__meta"
SEARCH_RESULT_SCORE = "data-md-score"
#: The page content Material's search plugin indexes, cut into sections at headings with an id.
ARTICLE = "article.md-content__inner"
HEADER_LINK = "a.headerlink"
#: The search index Material's search plugin writes (Zensical writes ``search.json``).
SEARCH_INDEX = "search/search_index.json"
ZENSICAL_SEARCH_INDEX = "search.json"
#: Header, logo and layout landmarks the 404 and builder tests look for.
HEADER = ".md-header"
LOGO = ".md-header__button.md-logo"
CONTENT = ".md-content"
FOOTER = ".md-footer"
#: The two wrappers Material's script moves a table without a class into.
TABLE_WRAPPERS = ("md-typeset__scrollwrap", "md-typeset__table")
#: Assets Material names with a content hash (cached for good by a static host).
HASHED_ASSET = r"(^|/)assets/.*\.[0-9a-f]{8,}\.min\.(css|js)$"
#: Content tabs of pymdownx.tabbed (alternate style), which Material styles.
TABBED_SET, TABBED_LABELS, TABBED_BLOCK = ".tabbed-set", ".tabbed-labels", ".tabbed-block"


def _parse(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def engine() -> tuple[str, str]:
    """(distribution, version) of the engine building the site: Zensical when it is the one
    running (its module is loaded), else Material for MkDocs."""
    name = "zensical" if "zensical" in sys.modules else "mkdocs-material"
    try:
        return name, metadata.version(name)
    except metadata.PackageNotFoundError:
        return name, "0"


def version_problem() -> str | None:
    """One line when the installed theme is outside :data:`TESTED`; None when it is inside."""
    name, version = engine()
    low, high = TESTED[name]
    if _parse(low) <= _parse(version) < _parse(high):
        return None
    return (
        f"theme: {name} {version} is outside the versions this site was tested with "
        f"(>={low},<{high}); run the browser suite and `make audit` with it, then widen "
        "macros/theme.py TESTED"
    )
