"""The web tests' fixtures (an app over a seeded campaign, with accounts) for the notifications' pages and API."""

from tests.web.conftest import instance_dir, private_app, seeded  # noqa: F401
