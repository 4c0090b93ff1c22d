"""Where the grader keeps what it derived (reference cards, training runs), and how it writes there.

Everything in the cache can be derived again, so deleting it is always safe and a cache that
cannot be written only costs time.

Example:
    >>> import os
    >>> os.environ["GRADER_CACHE_DIR"] = "/tmp/grader-cache-doctest"
    >>> cache_dir()
    PosixPath('/tmp/grader-cache-doctest')
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$GRADER_CACHE_DIR``, else ``$XDG_CACHE_HOME/grader``, else ``~/.cache/grader``."""
    configured = os.environ.get("GRADER_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "grader"


def write_cache(path: Path, text: str) -> None:
    """Store ``text`` at ``path`` atomically (readers see all of it or nothing); errors are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass
