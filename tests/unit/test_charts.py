"""The SVG line chart is well-formed, escapes text, scales to its largest value and leaves
gaps where values are missing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from infobank.services.charts import Line, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_a_chart_draws_each_line_and_its_legend() -> None:
    svg = line_chart(
        ["11-01", "11-02", "11-03"],
        [Line("actual", [1, 2, 4]), Line("target", [2, 2, 2], dashed=True)],
        title="利用者数 / Users",
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "利用者数 / Users"
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    assert lines[1].get("stroke-dasharray") and not lines[0].get("stroke-dasharray")
    ys = [float(p.split(",")[1]) for p in lines[0].get("points", "").split()]
    assert ys[0] > ys[1] > ys[2]  # larger values sit higher (smaller y)
    assert "actual: 11-01 1, 11-02 2, 11-03 4" in (root.findtext(f"{SVG}desc") or "")


def test_missing_values_split_the_line_instead_of_dropping_to_zero() -> None:
    svg = line_chart(["a", "b", "c", "d", "e"], [Line("x", [3, 4, None, 5, None])], title="t")
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}polyline")) == 1  # a, b
    assert len(root.findall(f"{SVG}circle")) == 1  # d alone


def test_text_is_escaped_and_empty_series_still_render() -> None:
    svg = line_chart([], [], title="<script>alert(1)</script> & co")
    assert "<script>" not in svg
    assert ET.fromstring(svg).findtext(f"{SVG}title") == "<script>alert(1)</script> & co"


def test_a_line_needs_one_value_per_label() -> None:
    with pytest.raises(ValueError):
        line_chart(["a", "b"], [Line("x", [1])], title="t")
