"""``docgen serve``: the web app for clerks (Vietnamese pages over the same Python API as the CLI)."""
from __future__ import annotations

from .app import create_app
from .common import WebConfig

__all__ = ["WebConfig", "create_app"]
