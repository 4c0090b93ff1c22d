"""The interface every framework adapter fills in: plain functions in a frozen dataclass.

Example:
    >>> from grader.frameworks import framework
    >>> keras = framework("keras")
    >>> keras.fix_line(None, None), keras.input_fix([4, 1])
    ('', 'keras.Input(shape=(4, 1))')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from grader.errors import InputError


class FrameworkUnavailable(InputError):
    """A rubric names a framework that is not installed here; the one line says how to install it."""

    def __init__(self, name: str, detail: str = "", install: str = "", title: str = ""):
        self.name, self.detail = name, detail
        problem = f"{title or name} is not installed here" + (f" ({detail})" if detail else "")
        super().__init__(None, problem, f"install it with: {install}" if install else "")


@dataclass(frozen=True)
class Training:
    """How train checks train a model of this framework (in the sandbox, ``grader_inside.<name>.train``).

    ``prepare(export, input_shape) -> (export, input_shape)``: the export the worker trains, built
    with the reference's input shape when it had none (raises UnreadableModel when it cannot be
    trained). ``without_compile(export)`` drops how the student compiled it (the protocol decides);
    ``cache_form(export)`` is what identifies the architecture in the training cache (names aside).
    ``check(protocol)`` (optional) refuses, when the rubric is loaded, a loss or optimizer the
    worker does not know (``ValueError``).
    """

    prepare: Callable[[str, Any], tuple[str, tuple]]
    without_compile: Callable[[str], str]
    cache_form: Callable[[str], str]
    check: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class Framework:
    """One framework's adapter. Every callable is pure: cards in, cards or plain values out."""

    name: str                    # as a rubric writes it: "keras"
    title: str                   # for people: "Keras 3"
    distribution: str            # the pip distribution whose version keys caches: "keras"
    install: str                 # the command that installs it, for the one-line error when it is missing
    # An export (what grader_inside.<name>.capture wrote) -> a ModelCard; raises UnreadableModel.
    card_from_export: Callable[..., Any]
    # A cheap description without rebuilding (kinds, settings, connections), or None.
    outline: Callable[[str, str], Any]
    # Equivalent spellings made equal (e.g. a separate activation folded into its layer).
    canonical: Callable[[Any], Any]
    # The code that builds the reference layer (or a "remove" message), for a finding's fix.
    fix_line: Callable[[Any, Any], Any]
    # The code that gives a model the reference's input shape.
    input_fix: Callable[[list], str]
    # A compile setting ("loss", "optimizer", "metrics") as compared; and the compile() call to write.
    compile_value: Callable[[str, Any], Any]
    compile_call: Callable[[str, dict], str]
    # Settings the layers check compares (the rubric may restrict to these names).
    key_settings: tuple[str, ...]
    # Layer kinds close enough to align with each other (a wrong pooling is still a pooling).
    families: tuple[frozenset, ...] = ()
    training: Training | None = None
    # Static reading of the source for old API (file, cell) -> findings; and likely fixes for errors.
    scan_source: Callable[..., list] | None = None
    explain: Callable[..., str] | None = None
    # Static reading of a file's code cells [(cell, source)] for how it uses its data -> findings
    # ({"message", "fix", "file", "cell", "line", "code"}), for checks about the submission.
    read_code: Callable[..., list] | None = None
    features: frozenset[str] = field(default_factory=frozenset)  # "fit_cap", "legacy"
    requires: tuple[str, ...] = ()  # modules that must be importable (checked before the adapter is used)
    # Compile settings as they compare for a model with this output shape (e.g. Keras's "accuracy"
    # resolved to the accuracy it means for it), or None when names compare as written.
    normalize_compile: Callable[[Any, Any], Any] | None = None
    # Settings a layers check compares only when it names them (initializers); ``trainable`` always may be named.
    requested_settings: tuple[str, ...] = ()

    def version(self) -> str:
        """The installed version of the framework, read without importing it."""
        from importlib import metadata

        try:
            return metadata.version(self.distribution)
        except metadata.PackageNotFoundError:
            return "not installed"
