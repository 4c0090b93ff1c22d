"""Serves the course's declared data and weights to Keras without a network: runs INSIDE the sandbox.

The grader binds the files a rubric declares under ``offline:`` read-only where Keras looks for
them (``~/.keras/datasets``, ``~/.keras/models``); the manifest says which entries they are
(``{"keras_datasets": ["mnist"], ...}``). Keras's own ``get_file`` would not simply use them:
it checks the hash of a cached file whenever the loader gives one (every data set but
Fashion-MNIST), tries to download it again on a mismatch, and deletes the file when that
download fails. :func:`install` replaces ``get_file`` once Keras is imported: a file that is
present is returned as it is (an archive Keras would extract: its extracted folder, or the
archive extracted once), and anything else raises :class:`DownloadRefused` with one line that
says what was fetched, that grading has no network, and what the instructor adds to the rubric.
Nothing here opens a connection.

Usage (what the harness does)::

    install({"keras_datasets": ["mnist"]})
"""

import os
import sys
import urllib.parse

from grader_inside.keras.fit_cap import _KerasImportHook

PROVIDERS = {"datasets": "keras_datasets", "applications": "keras_weights"}


class DownloadRefused(Exception):
    """Student code asked Keras for a file that grading cannot download."""


def install(offline):
    """Patch ``get_file`` now if Keras is loaded, else as soon as it is."""
    declared = {str(name): [str(e) for e in entries] for name, entries in (offline or {}).items()}
    if "keras" in sys.modules and hasattr(sys.modules["keras"], "Model"):
        _patch(declared)
        return
    sys.meta_path.insert(0, _KerasImportHook(lambda keras: _patch(declared)))


def _patch(declared):
    from keras.src.utils import file_utils

    original = file_utils.get_file
    if getattr(original, "_grader_offline", False):
        return

    def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
                 hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None, force_download=False):
        found = served(fname, origin, cache_subdir=cache_subdir, cache_dir=cache_dir, extract=extract or untar,
                       archive_format="tar" if untar else archive_format)
        if found is not None:
            return found
        raise DownloadRefused(refusal(fname or _name_in(origin), origin, _asker(), declared))

    get_file._grader_offline = True
    get_file.__doc__ = original.__doc__
    for module in list(sys.modules.values()):  # every module that imported the name (keras.utils, the loaders)
        if getattr(module, "get_file", None) is original:
            try:
                module.get_file = get_file
            except (AttributeError, TypeError):
                pass


def served(fname, origin, *, cache_subdir="datasets", cache_dir=None, extract=False, archive_format="auto"):
    """The path Keras's ``get_file`` would return for a file already in the cache, or None when it is not there.

    Where Keras 3 puts things: ``<cache>/<subdir>/<fname>``; for an archive to extract,
    ``<fname>_archive`` extracted into ``<fname>`` (a name with a dot: ``<fname>`` extracted into
    ``<stem>_extracted``). ``<cache>`` is ``cache_dir``, else ``$KERAS_HOME`` or ``~/.keras``, and
    ``/tmp/.keras`` where Keras falls back to when that is not writable.
    """
    name = str(fname) if fname else _name_in(origin)
    if not name:
        return None
    for base in _cache_dirs(cache_dir):
        folder = os.path.join(base, cache_subdir)
        if extract:
            if "." in name and fname:
                archive, extracted = os.path.join(folder, name), os.path.join(folder, name[:name.find(".")] + "_extracted")
            else:
                archive, extracted = os.path.join(folder, name + "_archive"), os.path.join(folder, name)
            if os.path.isdir(extracted) and os.listdir(extracted):
                return extracted
            if os.path.isfile(archive):
                from keras.src.utils.file_utils import extract_archive

                extract_archive(archive, extracted, archive_format)
                return extracted
        else:
            target = os.path.join(folder, name)
            if os.path.exists(target):
                return target
    return None


def _cache_dirs(cache_dir):
    if cache_dir:
        return [os.path.expanduser(cache_dir)]
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return [home, os.path.join("/tmp", ".keras")]


def _name_in(origin):
    return os.path.basename(urllib.parse.urlsplit(origin or "").path)


def _asker():
    """``(provider, entry)`` for the Keras loader that called ``get_file``: ``("keras_datasets", "mnist")``
    from ``keras.src.datasets.mnist``, ``("keras_weights", None)`` from ``keras.src.applications``."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        parts = module.split(".")
        if len(parts) >= 4 and parts[:2] == ["keras", "src"] and parts[2] in PROVIDERS:
            return PROVIDERS[parts[2]], parts[3] if parts[2] == "datasets" else None
        frame = frame.f_back
    return None, None


def refusal(name, origin, asker, declared):
    """One line: what was fetched, that grading has no network, and what the instructor does."""
    provider, entry = asker
    fetched = f"{name} ({origin})" if origin else name
    if provider is None:
        return (f"get_file tried to download {fetched}, and grading has no network: put the file in the "
                f"submission's folder and open it from there")
    entry = entry or name
    who = f"keras.datasets.{entry}" if provider == "keras_datasets" else "keras.applications"
    if entry in declared.get(provider, []):
        return (f"{who} tried to download {fetched}: grading has no network, and the course declares "
                f"{provider}: [{entry}] but the grader's cache does not have it; the instructor runs "
                f"`grader data --download`")
    return (f"{who} tried to download {fetched}: grading has no network, and the course's rubric does not "
            f"provide it; the instructor adds `offline: {{{provider}: [{entry}]}}` to the rubric and runs "
            f"`grader data --download`")
