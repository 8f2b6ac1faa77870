"""What a remembered number format must not change (format_number keeps its answers)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from docgen import render, vietnamese


@pytest.mark.parametrize("decimals", [2.0, Decimal(2)])
def test_a_remembered_number_keeps_a_wrong_decimals_argument_wrong(monkeypatch, decimals):
    """``{{ x|so(2.0) }}`` is refused (round() wants an int) however many ``{{ x|so(2) }}`` were printed before:
    2.0 == 2 and hash(2.0) == hash(2), so a memo keyed by the value of ``decimals`` alone gave "5,00"."""
    monkeypatch.setattr(vietnamese, "_FORMATTED", {})
    with pytest.raises(TypeError):
        vietnamese._format_number(5, decimals)
    assert vietnamese.format_number(5, 2) == "5,00"
    with pytest.raises(TypeError):
        vietnamese.format_number(5, decimals)
    template = render._XML_ENV.from_string("{{ x|so(2) }} {{ x|so(%r) }}" % 2.0)
    with pytest.raises(TypeError):                    # the same in a template, after so(2) of the same number
        template.render(x=5)
