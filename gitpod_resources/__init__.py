"""The rules of the Gitpod Self-Hosted 2022.11 external-components guide, and its checker.

One module per provider or dependency (``aws``, ``gcp``, ``registry``, ``storage``,
``database``), the shared validation specs (``validation``), the admin console's fields and the
installer config (``config``, ``schema``, ``kots``), the release tags and the sources every
statement about Gitpod cites (``releases``, ``sources``), and ``checker`` with its command line
(``cli``: ``gitpod-resources check``). Pure and typed: nothing here imports MkDocs. The guide's
site renders these rules through the ``macros`` package, which is not installed with this one.
"""
