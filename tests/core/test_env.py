import pytest
from django.core.exceptions import ImproperlyConfigured

from liangxin.config.env import env_bool, env_database, env_list


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("0", False)])
def test_booleans_are_read_from_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("LIANGXIN_X", raw)
    assert env_bool("LIANGXIN_X", not expected) is expected


def test_a_bad_boolean_stops_start_up_naming_the_variable(monkeypatch):
    monkeypatch.setenv("LIANGXIN_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="LIANGXIN_DEBUG='maybe'"):
        env_bool("LIANGXIN_DEBUG", False)


def test_a_host_list_with_an_empty_entry_is_refused(monkeypatch):
    monkeypatch.setenv("LIANGXIN_ALLOWED_HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="LIANGXIN_ALLOWED_HOSTS"):
        env_list("LIANGXIN_ALLOWED_HOSTS", [])


def test_a_postgres_url_becomes_a_database_setting(monkeypatch):
    monkeypatch.setenv("LIANGXIN_DATABASE_URL", "postgresql://lx:secret@127.0.0.1:5433/liangxin")
    config = env_database("LIANGXIN_DATABASE_URL", "sqlite:///x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["PORT"], config["USER"]) == ("liangxin", 5433, "lx")


@pytest.mark.parametrize("raw", ["mysql://u@h/db", "postgresql://u@h", "nonsense"])
def test_an_unsupported_or_incomplete_database_url_is_refused(monkeypatch, raw):
    monkeypatch.setenv("LIANGXIN_DATABASE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="LIANGXIN_DATABASE_URL"):
        env_database("LIANGXIN_DATABASE_URL", "sqlite:///x")


def test_start_up_without_a_secret_key_outside_debug_is_refused(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANGXIN_")}
    env["LIANGXIN_DEBUG"] = "0"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='liangxin.config.settings';django.setup()",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "LIANGXIN_SECRET_KEY" in result.stderr
