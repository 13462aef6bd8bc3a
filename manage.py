#!/usr/bin/env python
"""Django's command-line utility for the hub."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from config.config_errors import exit_with_one_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        exit_with_one_line(exc)
