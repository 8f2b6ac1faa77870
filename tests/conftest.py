"""Test-wide settings.

Property-based tests run deterministically by default (the same examples on every machine, so CI never
turns red by chance); ``HYPOTHESIS_PROFILE=explore`` runs them with fresh random examples, many more of them,
to hunt for new failures."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("docgen", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=300,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "docgen"))

# LibreOffice profiles kept between conversions (docgen.pdf.profile_cache) live in a test-run folder, shared by
# the test processes, never in the user's own cache.
os.environ.setdefault("DOCGEN_CACHE_DIR", os.path.join(__import__("tempfile").gettempdir(),
                                                       f"docgen-test-cache-{os.getuid() if hasattr(os, 'getuid') else 0}"))
