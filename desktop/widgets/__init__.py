"""Widgets only: no model calls, no file I/O; the main window wires them to the worker."""

from __future__ import annotations
