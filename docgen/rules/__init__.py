"""Thi đua – khen thưởng rules, kept as versioned data (``docgen/rules/data/*.toml``).

Public API:

* :func:`evaluate` — apply the rules to a campaign → :class:`~docgen.evaluation.Evaluation`;
* :func:`prize_money`, :func:`base_salary` — tiền thưởng and mức lương cơ sở on a date;
* :func:`award_names`, :func:`find_award` — the award catalogue (dropdowns, matching names);
* :func:`legal_bases_in_force`, :func:`find_legal_texts` — căn cứ pháp lý and their validity;
* :data:`PRESETS`, :func:`preset_names`, :func:`find_preset` — the quota presets;
* :data:`SETTINGS`, :func:`resolve` — the keys of the optional "Quy tắc" sheet and their interpretation.

How a clerk edits the rules: ``docs/quy-tac.md``.
"""
from __future__ import annotations

from .catalog import (
    OVERRIDE_ENV,
    Award,
    Cap,
    LegalText,
    Preset,
    RulesDataError,
    RulesError,
    award_names,
    catalog,
    find_award,
    find_legal_texts,
    legal_bases_in_force,
    reload,
)
from .evaluator import evaluate
from .money import NoBaseSalary, NoPrizeCoefficient, base_salary, prize_coefficient, prize_money
from .settings import RuleSet, SettingSpec, find_preset, find_setting, preset_names, resolve, settings as _settings

__all__ = [
    "OVERRIDE_ENV", "PRESETS", "SETTINGS", "Award", "Cap", "LegalText", "NoBaseSalary",
    "NoPrizeCoefficient", "Preset", "RuleSet", "RulesDataError", "RulesError", "SettingSpec", "award_names",
    "base_salary", "catalog", "evaluate", "find_award", "find_legal_texts", "find_preset", "find_setting",
    "legal_bases_in_force", "preset_names", "prize_coefficient", "prize_money", "reload", "resolve",
]


def __getattr__(name: str):
    # Read from the data files when first asked (and again after reload()).
    if name == "PRESETS":
        return dict(catalog().presets)
    if name == "SETTINGS":
        return _settings()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
