"""Packaging of the desktop app into a one-folder installer (PyInstaller, ``build.spec``).

Build-time tooling only: nothing here is imported by the app, and the package is not part
of the wheel. ``python -m installer.build`` (or ``make installer``) is the entry point.
"""

from __future__ import annotations

#: The folder and executable name in ``dist/``; also the archive's prefix.
APP_DIST_NAME = "ParaphraseStudio"
