"""Shared fixtures: the test database holds the five demo plans and the demo accounts.

Personas (password for all: liangxin-demo):
  admin; beichen (北辰区 office); beichen_shangwu (区商务局 reporter); beichen_gongxin (区工信局
  reporter); wuqing (武清区 office); shuozhou_gongxin (朔州 市工信局 reporter); tianjin_leader.
"""

import os
import tempfile

os.environ.setdefault("LIANGXIN_SECRET_KEY", "tests-only-secret-key")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

DEMO_PASSWORD = "liangxin-demo"


def pytest_configure(config):
    # Uploaded and loaded files of the whole session go to a throwaway directory, never to var/.
    from django.conf import settings

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="liangxin-test-media-")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", quiet=True)


@pytest.fixture
def user(db):
    from liangxin.core.models import User

    return lambda username: User.objects.get(username=username)


@pytest.fixture
def client_as(db, client, user):
    """A Django test client logged in as the named demo persona."""

    def login(username):
        client.force_login(user(username))
        return client

    return login


@pytest.fixture
def plan_of(db):
    from liangxin.plans.models import Plan

    return lambda district: Plan.objects.get(jurisdiction__name=district)
