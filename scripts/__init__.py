"""Project scripts: the bench and its helpers, the data refresh; never imports from tests/.

``static_server`` and ``lighthouse`` are shared with the tests (tests import them from here).
"""
