#!/usr/bin/env python
import os
import sys


def main():
    # Developer commands run on the demo defaults; production containers set DJANGO_SETTINGS_MODULE.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
