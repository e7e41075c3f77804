"""The load-level checks' cases (CFG): what the installer's loader refuses or reads differently."""

from __future__ import annotations

from tests.checker.helpers import GOOD_EXT, Case, installer

S3_BACKEND = """\
containerRegistry:
  inCluster: true
  s3storage:
    bucket: {bucket}
    region: eu-west-2
    endpoint: s3.eu-west-2.amazonaws.com
    certificate:
      kind: secret
      name: container-registry-s3-backend
"""

CASES = [
    Case(
        "CFG100",
        "not valid YAML",
        installer("containerRegistry:\n  inCluster: [true\n"),
        "",
        4,
        installer("containerRegistry:\n  inCluster: true\n"),
        ("not valid YAML",),
    ),
    Case(
        "CFG101",
        "typo in containerRegistry",
        installer("containerRegistry:\n  inCluster: true\n  s3storag: {}\n"),
        "containerRegistry.s3storag",
        4,
        installer("containerRegistry:\n  inCluster: true\n"),
        ("'s3storage'",),
    ),
    Case(
        "CFG101",
        "typo at the top level",
        installer("containerRegistri:\n  inCluster: true\n"),
        "containerRegistri",
        2,
        installer("containerRegistry:\n  inCluster: true\n"),
        ("containerRegistry",),
    ),
    Case(
        "CFG101",
        "key of a later installer",
        installer("containerRegistry:\n  inCluster: false\n  enableAdditionalECRAuth: true\n"),
        "containerRegistry.enableAdditionalECRAuth",
        4,
        GOOD_EXT,
        ("2023-08-14", "2022.11"),
    ),
    Case(
        "CFG101",
        "registry credentials of a later installer",
        GOOD_EXT + "    credentials:\n      kind: secret\n      name: aws-credentials\n",
        "containerRegistry.external.credentials",
        9,
        GOOD_EXT,
        ("2022-12-15",),
    ),
    Case(
        "CFG101",
        "message bus of a later installer",
        installer("messageBus:\n  credentials:\n    kind: secret\n    name: rabbitmq\n"),
        "messageBus",
        2,
        installer("domain: gitpod.example.com\n"),
        ("2023-01-19",),
    ),
    Case(
        "CFG102",
        "duplicate key",
        installer("containerRegistry:\n  inCluster: true\n  inCluster: true\n"),
        "containerRegistry.inCluster",
        4,
        installer("containerRegistry:\n  inCluster: true\n"),
    ),
    Case(
        "CFG102",
        "a key written and also merged",
        installer(
            "experimental: &registry\n"
            "  inCluster: false\n"
            "containerRegistry:\n"
            "  <<: *registry\n"
            "  inCluster: true\n"
        ),
        "containerRegistry.inCluster",
        6,
        installer(
            "experimental: &registry\n  inCluster: true\ncontainerRegistry:\n  <<: *registry\n"
        ),
        ("merge",),
    ),
    Case(
        "CFG103",
        "quoted boolean",
        installer('containerRegistry:\n  inCluster: "true"\n'),
        "containerRegistry.inCluster",
        3,
        installer("containerRegistry:\n  inCluster: true\n"),
        ("boolean",),
    ),
    Case(
        "CFG103",
        "section that is not a mapping",
        installer("containerRegistry: in-cluster\n"),
        "containerRegistry",
        2,
        installer("containerRegistry: {inCluster: true}\n"),
        ("mapping",),
    ),
    Case(
        "CFG103",
        "a fraction where a whole number belongs",
        installer("objectStorage:\n  inCluster: true\n  maximumBackupCount: 2.5\n"),
        "objectStorage.maximumBackupCount",
        4,
        installer("objectStorage:\n  inCluster: true\n  maximumBackupCount: 2.0\n"),
        ("whole number",),
    ),
    Case(
        "CFG104",
        "infinity in an open section",
        installer("workspace:\n  timeoutDefault: .inf\n"),
        "workspace.timeoutDefault",
        3,
        installer("workspace:\n  timeoutDefault: 60m\n"),
        ("infinite", "JSON"),
    ),
    Case(
        "CFG104",
        "an empty key",
        installer("experimental:\n  ~: 1\n"),
        "experimental",
        3,
        installer("experimental:\n  webapp: {}\n"),
        ("null",),
    ),
    Case(
        "CFG105",
        "capitalised kind",
        GOOD_EXT.replace("kind: secret", "kind: Secret"),
        "containerRegistry.external.certificate.kind",
        7,
        GOOD_EXT,
        ("secret",),
    ),
    Case(
        "CFG105",
        "reference without a name",
        GOOD_EXT.replace("      name: container-registry\n", ""),
        "containerRegistry.external.certificate.name",
        6,
        GOOD_EXT,
    ),
    Case(
        "CFG106",
        "a key in another case",
        installer(S3_BACKEND.format(bucket="gitpod-registry").replace("s3storage", "S3Storage")),
        "containerRegistry.s3storage",
        4,
        installer(S3_BACKEND.format(bucket="gitpod-registry")),
        ("'S3Storage'", "regardless of case"),
    ),
    Case(
        "CFG106",
        "two spellings of one key",
        installer("metadata:\n  region: eu-west-2\n  Region: eu-west-1\n"),
        "metadata.region",
        4,
        installer("metadata:\n  region: eu-west-2\n"),
        ("same key", "sorted"),
    ),
    Case(
        "CFG107",
        "a number where a string belongs",
        installer(S3_BACKEND.format(bucket="20221101")),
        "containerRegistry.s3storage.bucket",
        5,
        installer(S3_BACKEND.format(bucket='"20221101"')),
        ("'20221101'",),
    ),
    Case(
        "CFG107",
        "an octal number read as its decimal text",
        installer("metadata:\n  shortname: 017\n"),
        "metadata.shortname",
        3,
        installer('metadata:\n  shortname: "017"\n'),
        ("'15'",),
    ),
    Case(
        "CFG108",
        "a second document",
        installer("domain: gitpod.example.com\n---\napiVersion: v1\ndomain: b.example.com\n"),
        "",
        4,
        installer("domain: gitpod.example.com\n"),
        ("first document",),
    ),
]
