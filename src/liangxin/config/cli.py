"""The `liangxin` command: Django's management commands, with the project's own grouped under it."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangxin.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["liangxin", *sys.argv[1:]])


if __name__ == "__main__":
    main()
