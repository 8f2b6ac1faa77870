"""What docgen keeps between runs, in ``<cache>/jinja`` and ``<cache>/prepared`` (:func:`docgen.resources.cache_dir`):
work that depends only on a template and on the code, done by every build's workers again otherwise.

- **Jinja's code** for a template source (:func:`from_string`): compiling is half the cost of preparing a
  template.  The code is a function of the source, of Jinja's version, of docgen's code (its code generator)
  and of the environment that compiles it (options, names of filters and tests): it is kept under a hash of all
  of them, with Jinja's own bytecode cache (marshalled code, written atomically, checked against Jinja's and
  Python's versions when read back).  The sandbox is not affected: its checks are calls the compiled code makes
  when it runs.
- **docxtpl's clean-up** of a part's XML (:func:`patched`), under a hash of the source and docxtpl's version.
- **Prepared templates** (:func:`kept_object`, :mod:`docgen.prepared`), pickled under a hash of the template's
  bytes, of docgen's code and data and of the libraries' versions: read back, a template needs neither
  python-docx nor docxtpl; the **rules catalogue** the same way (:mod:`docgen.rules.catalog`: parsing its TOML
  is most of loading it).

A folder that cannot be written, or a file that cannot be read, only means doing the work again; the newest
:data:`_KEPT_FILES` files of each folder are kept.  The folders are the user's alone
(:func:`docgen.resources.cache_dir` refuses one others may write in).
"""
from __future__ import annotations

import hashlib
from typing import Any


def _bytecode_cache():
    from jinja2.bccache import FileSystemBytecodeCache

    from .resources import cache_dir

    folder = cache_dir("jinja")
    if folder is None or _code_fingerprint() is None:
        return None
    return FileSystemBytecodeCache(str(folder), "%s.jinja")


_KEPT_FILES = 600                 # the newest kept; a clerk editing her templates adds a few files each time


def _prune(folder: str) -> None:
    import os

    files = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:                         # another build (a second test process, the web app) may prune too
                    if entry.is_file(follow_symlinks=False):
                        files.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
                except OSError:              # removed since it was listed
                    pass
    except OSError:                          # the folder itself gone: nothing to keep small
        return
    if len(files) > _KEPT_FILES:
        for _, path in sorted(files)[:len(files) - _KEPT_FILES]:
            try:
                os.remove(path)
            except OSError:
                pass


def _environment_key(env) -> str:
    """What besides the source decides the code ``env`` compiles."""
    import jinja2

    options = (env.autoescape if isinstance(env.autoescape, bool) else repr(env.autoescape),
               env.finalize is not None, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
               env.newline_sequence, env.block_start_string, env.block_end_string, env.variable_start_string,
               env.variable_end_string, env.comment_start_string, env.comment_end_string,
               env.line_statement_prefix, env.line_comment_prefix, env.optimized, type(env).__name__,
               env.code_generator_class.__qualname__,
               sorted(env.filters), sorted(env.tests), sorted(env.extensions))
    return f"{jinja2.__version__}|{_code_fingerprint()}|{options!r}"     # docgen's code: its code generator


def from_string(env, source: str, compile_: Any):
    """The template of ``source`` in ``env``: its code read from the cache, else ``compile_(source)`` (the
    environment's own ``from_string``) and its code written there."""
    from jinja2.bccache import Bucket

    cache = _bytecode_cache()
    if cache is None:
        return compile_(source)
    key = hashlib.sha256(f"{_environment_key(env)}\0{source}".encode("utf-8", "surrogatepass")).hexdigest()
    bucket = Bucket(env, key, "")
    try:
        cache.load_bytecode(bucket)
    except Exception:  # noqa: BLE001 - a damaged file (Jinja reads its header with pickle): compile again
        bucket.reset()
    if bucket.code is None:
        bucket.code = env.compile(source)           # a syntax error is raised here, as compile_ raises it
        try:
            cache.dump_bytecode(bucket)
            _prune(cache.directory)
        except OSError:
            pass
    return env.template_class.from_code(env, bucket.code, env.make_globals(None), None)


def patched(source: str, patch: Any) -> str:
    """docxtpl's clean-up of a part's XML (``patch(source)``, a function of the source and docxtpl's version),
    read from the cache, else made and written there."""
    import os

    import docxtpl

    cache = _bytecode_cache()
    if cache is None:
        return patch(source)
    key = hashlib.sha256(f"docxtpl {docxtpl.__version__}\0{_code_fingerprint()}\0{source}".encode(
        "utf-8", "surrogatepass")).hexdigest()
    path = os.path.join(cache.directory, f"{key}.xml")
    try:                                   # its SHA-256, a line, the text: a damaged file is made again
        with open(path, "rb") as fh:
            digest, _, data = fh.read().partition(b"\n")
        if hashlib.sha256(data).hexdigest().encode() == digest:
            return data.decode("utf-8", "surrogatepass")
    except (OSError, UnicodeDecodeError):
        pass
    result = patch(source)
    data = result.encode("utf-8", "surrogatepass")
    _write(path, hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
    return result


def _code_fingerprint() -> str | None:
    """A hash of docgen's own modules and data (their sizes and times of change) and of the libraries' (None
    when they cannot be found: nothing is then kept)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import importlib.util
        import os
        import sys
        from pathlib import Path

        import lxml.etree

        digest = hashlib.sha256(f"{sys.version}|{lxml.etree.LXML_VERSION}|{lxml.etree.LIBXML_VERSION}".encode())
        try:
            for library in ("jinja2", "docxtpl", "docx"):     # found, not imported (not all processes need them)
                st = os.stat(importlib.util.find_spec(library).origin)
                digest.update(f"{library}|{st.st_size}|{st.st_mtime_ns}".encode())
            here = Path(__file__).parent        # the code and data of what is kept, by size and time of change
            for pattern in ("*.py", "data/*", "rules/*.py", "rules/data/*"):
                for path in sorted(here.glob(pattern)):
                    st = path.stat()
                    digest.update(f"{path.relative_to(here)}|{st.st_size}|{st.st_mtime_ns}".encode())
        except (OSError, AttributeError, ImportError):
            _FINGERPRINT = ""
        else:
            _FINGERPRINT = digest.hexdigest()
    return _FINGERPRINT or None


_FINGERPRINT: str | None = None


def kept_object(kind: str, content: bytes, make: Any, keep: Any) -> Any:
    """``make()``, read back from the cache when it was kept before for the same ``content`` (a template's
    bytes), ``kind`` and code (:func:`_code_fingerprint`); what ``keep(result)`` approves is kept (pickled,
    written atomically).  Anything unreadable is made again."""
    import pickle

    from .resources import cache_dir

    folder = cache_dir("prepared")
    fingerprint = _code_fingerprint()
    if folder is None or fingerprint is None:
        return make()
    key = hashlib.sha256(f"{kind}\0{fingerprint}\0".encode() + content).hexdigest()
    path = folder / f"{key}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, damaged, or from code that no longer exists: made again
        pass
    result = make()
    if keep(result):
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return result
        _write(str(path), data)
        _prune(str(folder))
    return result


def _write(path: str, data: bytes) -> None:
    """``data`` at ``path``, whole or not at all (a file written beside it, then renamed); a folder that cannot
    be written is left alone."""
    import os
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    except OSError:
        return
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.remove(tmp)
        except OSError:
            pass
