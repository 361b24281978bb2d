"""kaltura-reach-vendor: a typed SDK for Kaltura REACH vendors.

Public names are listed in ``__all__`` (pinned by ``tests/test_public_api.py``);
everything not listed here is private and may change without notice.
"""

from __future__ import annotations

__version__ = "0.1.0"

# --- foundation (issue 2) ---
# (filled in by the foundation work)

# --- models (issue 3) ---
# (filled in by the models work)

__all__ = [
    "__version__",
]
