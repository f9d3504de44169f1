"""The one analytics configuration: defaults, file and environment overrides, errors, docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.analytics.config import AnalyticsConfig, load_config
from graph.errors import InvalidArgument

ROOT = Path(__file__).resolve().parents[3]


def test_file_wins_over_environment(tmp_path: Path) -> None:
    f = tmp_path / "c.json"
    f.write_text('{"coverage_window_years": 3}', encoding="utf-8")
    env = {"DUTYGRAPH_ANALYTICS_COVERAGE_WINDOW_YEARS": "4",
           "DUTYGRAPH_ANALYTICS_TEAM_ROLES": '["secretary"]',
           "DUTYGRAPH_ANALYTICS": '{"load_min": 7}'}
    cfg = load_config(f, env=env)
    assert cfg.coverage_window_years == 3 and cfg.team_roles == ["secretary"]
    assert cfg.load_min == 7
    assert load_config(env=env).coverage_window_years == 4
    assert load_config(env={}) == AnalyticsConfig()


@pytest.mark.parametrize("text", ['{"coverage_window_years": 0}', '{"no_such_field": 1}',
                                  "not json"])
def test_bad_configuration_is_rejected(tmp_path: Path, text: str) -> None:
    f = tmp_path / "c.json"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidArgument) as err:
        load_config(f, env={})
    assert "config" in str(err.value)


def test_weights() -> None:
    cfg = AnalyticsConfig()
    assert cfg.weight("S_BRIDGE", "high") == 10.0 and cfg.weight("H_NO_SECRETARY", "low") == 4.0


def test_every_field_is_documented() -> None:
    doc = (ROOT / "docs" / "analytics.md").read_text(encoding="utf-8")
    missing = [name for name in AnalyticsConfig.model_fields if f"`{name}`" not in doc]
    assert missing == []
