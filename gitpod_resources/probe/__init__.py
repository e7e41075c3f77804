"""``gitpod-resources probe``: prove, before installing, that the registry, the buckets and the
database a Gitpod 2022.11 config names work with the reader's own credentials.

``options`` holds the command line (no network library needed); ``runner`` reads the config the
way ``check`` does and runs the probes: ``registry`` (login and a push to a new repository),
``s3`` (the registry's bucket and object storage) and ``database`` (connection, version,
privileges). ``findings`` lists their codes (``PRB``), each explained on the guide's
troubleshooting page. The network libraries are the ``probe`` extra of the package.
"""
