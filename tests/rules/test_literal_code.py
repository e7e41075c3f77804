"""Code in pages stays literal: the raw-wrapping that runs before Jinja."""

from __future__ import annotations

import jinja2
import pytest

from macros.literal_code import LiteralCodeError, protect_code


def render(markdown: str) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(protect_code(markdown)).render(x="X")


@pytest.mark.parametrize(
    "markdown",
    [
        "```yaml\nimage: {{ .Values.image }}\n```\n",
        "~~~\n{% if a %}{{ b }}{% endif %}\n~~~\n",
        "    ```go\n    {{ range . }}{{ end }}\n    ```\n",
        "````md\n```\n{{ nested }}\n```\n````\n",
        "Inline `{{ .Release.Name }}` and ``{{ `x` }}``.\n",
        "{# not a comment in code: #} is outside\n`{#id}`\n",
    ],
)
def test_code_renders_verbatim(markdown: str) -> None:
    if markdown.startswith("{#"):
        # A Jinja comment outside code is still a comment; inside code it is kept.
        assert render(markdown) == " is outside\n`{#id}`\n"
    else:
        assert render(markdown) == markdown


def test_text_outside_code_is_still_rendered() -> None:
    assert render("{{ x }} and `{{ x }}`\n") == "X and `{{ x }}`\n"


def test_endraw_inside_code_is_refused() -> None:
    with pytest.raises(LiteralCodeError, match=r"page\.md:2"):
        protect_code("text\n```\n{% endraw %}\n```\n", "page.md")
