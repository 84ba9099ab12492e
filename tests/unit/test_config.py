from __future__ import annotations

import pytest

from ffet_flow.config import REGISTRY, load_config, parse_set
from ffet_flow.errors import ConfigError


def test_every_key_has_description_and_valid_default():
    for key in REGISTRY.values():
        assert key.description, key.name
        if key.kind != "table[]":
            _, err = key.check(key.default if not isinstance(key.default, tuple) else list(key.default))
            assert err is None, (key.name, err)


def test_layers_and_overrides_apply_in_order(tmp_path):
    f = tmp_path / "t.toml"
    f.write_text("layers_front = 5\nvdd = 0.65\n")
    cfg = load_config([f], set_items=["layers_front=7"])
    assert cfg.layers_front == 7 and cfg.vdd == 0.65
    assert cfg.sources["layers_front"] == "--set" and cfg.sources["vdd"] == str(f)


def test_all_errors_of_a_file_are_reported_together(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text('layers_front = 0\nlayers_back = 17\ninput_pin_density = 1.5\nbogus = 3\n'
                 'cpp = "wide"\n')
    with pytest.raises(ConfigError) as exc:
        load_config([f])
    keys = sorted(i.key for i in exc.value.issues)
    assert keys == ["bogus", "cpp", "input_pin_density", "layers_back", "layers_front"]
    assert all(i.source == str(f) for i in exc.value.issues)


def test_table_fields_and_cross_rules(tmp_path):
    f = tmp_path / "stack.toml"
    f.write_text("[[metal]]\ntier='local'\npitch=-28\nwidth=14\nthickness=28\nbarrier=2.0\n"
                 "k_eff=2.8\nvia_resistance=50.0\n")
    with pytest.raises(ConfigError) as exc:
        load_config([f])
    assert [i.key for i in exc.value.issues] == ["metal[0].pitch"]
    f.write_text("layers_front = 1\nlayers_back = 1\n[[metal]]\ntier='local'\npitch=28\nwidth=20\n"
                 "spacing=10\nthickness=28\nbarrier=2.0\nk_eff=2.8\nvia_resistance=50.0\n")
    with pytest.raises(ConfigError) as exc:
        load_config([f])
    assert [i.key for i in exc.value.issues] == ["metal[0].spacing"]


def test_cfet_cannot_route_signals_on_the_back():
    with pytest.raises(ConfigError, match="signal_sides"):
        load_config(set_items=["arch=cfet", "signal_sides=both"])


def test_effective_density_is_zero_without_back_signals():
    assert load_config(set_items=["signal_sides=front"]).effective_input_pin_density == 0.0
    assert load_config(set_items=["input_pin_density=0.25"]).effective_input_pin_density == 0.25


def test_parse_set_reports_malformed_items():
    values, issues = parse_set(["layers_front=3", "novalue", "nope=1"])
    assert values == {"layers_front": 3}
    assert [i.key for i in issues] == ["novalue", "nope"]


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config([tmp_path / "absent.toml"])
    bad = tmp_path / "broken.toml"
    bad.write_text("layers_front = = 3\n")
    with pytest.raises(ConfigError, match="malformed TOML"):
        load_config([bad])


def test_digest_depends_only_on_named_keys():
    a = load_config(set_items=["layers_back=4"])
    b = load_config(set_items=["layers_back=5"])
    assert a.digest(["vdd", "cpp"]) == b.digest(["vdd", "cpp"])
    assert a.digest(["layers_back"]) != b.digest(["layers_back"])


def test_cli_config_errors_exit_2_one_line_each(run_cli):
    status, out, err = run_cli("config", "--set", "layers_front=0", "--set", "bogus=1")
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all("Traceback" not in line for line in lines)
    assert any("layers_front = 0" in line and "[1, 16]" in line for line in lines)


def test_cli_list_shows_every_key(run_cli):
    status, out, _ = run_cli("config", "--list")
    assert status == 0
    for name in REGISTRY:
        assert name in out
