"""The document kinds and template files the web pages offer, read from the registry (docgen.documents)."""
from __future__ import annotations

from ..documents import REGISTRY

_FORM_NAMES = ("cá nhân", "tập thể")     # the forms of a per-candidate kind, in the order of its templates


def _templates() -> list[tuple[str, str, str]]:
    """(template file, kind key, Vietnamese name) of every built-in template."""
    out = []
    for kind in REGISTRY:
        for i, name in enumerate(kind.templates):
            label = f"{kind.title} {_FORM_NAMES[i]}" if kind.per_candidate and i < len(_FORM_NAMES) else kind.title
            out.append((name, kind.key, label))
    return out


# Built-in template file → the document kind it renders (a kind may have several forms), and its name.
TEMPLATE_KINDS = {name: key for name, key, _ in _templates()}
TEMPLATE_NAMES = {name: label for name, _, label in _templates()}


def kinds() -> list[tuple[str, str]]:
    """(key, Vietnamese name) of every document kind, in the order of the hồ sơ."""
    return [(k.key, k.name) for k in REGISTRY]


def kind_name(key: str) -> str:
    try:
        return REGISTRY.name_of(key)
    except KeyError:
        return key
