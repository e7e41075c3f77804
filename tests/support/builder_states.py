"""The builder's states as Hypothesis draws them: a platform, an option it offers for each
component, and a value for every field those options show (tests/support/builder_oracle.py's
reading of which options read which fields).

Shared by the export's tests (``tests/rules/test_builder_export.py``: any value, even one no
control of the form can hold) and the browser test (``tests/browser/test_builder.py``: what a
reader can set in the form).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

from gitpod_resources import aws, gcp
from macros import builder_state
from tests.support.builder_oracle import reads

#: How a list field's value is drawn from the list's items.
Select = Callable[[list[str]], st.SearchStrategy[str]]
#: A checkbox's values.
YES_NO = st.sampled_from(["yes", "no"])


@st.composite
def states(
    draw: st.DrawFn,
    text: st.SearchStrategy[str],
    select: Select = st.sampled_from,
    yes_no: st.SearchStrategy[str] = YES_NO,
) -> dict[str, str]:
    """A platform and its options (ECR aside: the builder shows no config for it); a list
    field's value from ``select``, a checkbox's from ``yes_no``, a typed field's from ``text``."""
    platform = draw(st.sampled_from(builder_state.PLATFORMS))
    state = {"platform": platform.id}
    for c in ("registry", "storage", "database"):
        state[c] = draw(st.sampled_from([o for o in platform.options(c) if o != "ecr"]))
    lists = {
        "aws_region": list(aws.region_codes()),
        "gcp_region": list(gcp.region_codes()),
        "ar_location": [loc.code for loc in gcp.ar_locations()],
        "gcr_host": [h.host for h in gcp.gcr_hosts()],
    }
    for param in reads(state):
        if param in lists:
            state[param] = draw(select(lists[param]))
        elif param in ("private_ca", "db_ca"):
            state[param] = draw(yes_no)
        else:
            state[param] = draw(text)
    return state
