"""The Pricing formulas page with AppTest: live validation, preview, rules, save and restore."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lib.ui.pricing_editor import GENERATION
from tests.app.conftest import audit_log, page_text


def _open_pricing(app: AppTest) -> AppTest:
    app.run()
    app.switch_page("pages/pricing.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _formula_box(app: AppTest) -> object:
    return next(t for t in app.text_input if t.label == "Company default formula")


def _click(app: AppTest, label: str) -> None:
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, [e.value for e in app.exception]


def test_type_a_formula_see_errors_and_the_preview_then_save(demo_env: None, app: AppTest) -> None:
    _open_pricing(app)
    assert app.title[0].value == "Pricing formulas"
    assert any("No formula version saved yet" in i.value for i in app.info)
    # The editor starts from PleasureStock's most used formula: most prices do not move.
    assert _formula_box(app).value == "TCC * 1.8 + 5"
    assert int(_metrics(app)["Priced (of 2,650)"].replace(",", "")) > 2500

    _formula_box(app).input("TCCC * 2").run()
    assert [e.value for e in app.error] == [
        "Company default formula: unknown name `TCCC` at column 1; did you mean `TCC`?"
    ]
    assert app.code[0].value == "TCCC * 2\n^"
    assert "Priced (of 2,650)" not in _metrics(app)

    _formula_box(app).input("TCC * 3 + 10").run()
    assert not app.error
    metrics = _metrics(app)
    assert int(metrics["Raised"].replace(",", "")) > 2000
    assert metrics["Median change"].startswith("+")

    next(t for t in app.text_input if t.label == "Comment").input("Wider margin").run()
    _click(app, "Save as new version")
    assert app.success[0].value == "Saved version 1; it is now the active one."
    assert any("differs from the active version 1" in w.value for w in app.warning)
    versions = app.dataframe[-2].value
    assert versions.iloc[0]["Comment"] == "Wider margin"
    assert versions.iloc[0]["By"] == "demo:admin"
    assert versions.iloc[0]["Company default"] == "TCC * 3 + 10"

    app.switch_page("pages/settings.py").run()
    assert "pricing.version.save" in list(audit_log(app)["What"])


def test_rules_guard_rails_compare_and_restore(demo_env: None, app: AppTest) -> None:
    _open_pricing(app)
    generation = app.session_state[GENERATION]
    app.session_state[f"pricing_{generation}_rules"] = {
        "edited_rows": {},
        "added_rows": [{"Applies to": "Category · Vibrators", "Formula": "TCC * 4"}],
        "deleted_rows": [],
    }
    next(n for n in app.number_input if n.label == "Minimum margin %").set_value(50.0).run()
    assert not app.exception, [e.value for e in app.exception]
    preview = app.dataframe[1].value
    assert "Category · Vibrators" in set(preview["rule"])
    assert preview.iloc[0]["status"] == ["guard rail"]
    assert "below the 50% floor" in preview.iloc[0]["issue"]
    assert int(_metrics(app)["Break a guard rail"].replace(",", "")) > 0

    _click(app, "Save as new version")
    _formula_box(app).input("TCC * 2").run()
    _click(app, "Save as new version")
    assert app.success[0].value == "Saved version 2; it is now the active one."
    assert "Products priced differently by version 2" in _metrics(app)

    next(s for s in app.selectbox if s.label == "Look at").set_value(1).run()
    _click(app, "Restore this version")
    assert app.success[0].value == "Restored version 1 as version 3; it is now the active one."
    assert _formula_box(app).value == "TCC * 1.8 + 5"
    versions = app.dataframe[-3].value
    assert versions.iloc[0]["Comment"] == "Restored from version 1"
    assert versions.iloc[0]["By"] == "demo:admin"
    assert "Category · Vibrators" in page_text(app)


def test_load_and_restore_ask_before_replacing_an_unsaved_draft(
    demo_env: None, app: AppTest
) -> None:
    _open_pricing(app)
    _click(app, "Save as new version")  # version 1: TCC * 1.8 + 5
    _formula_box(app).input("TCC * 2").run()
    _click(app, "Save as new version")  # version 2, active
    next(s for s in app.selectbox if s.label == "Look at").set_value(1).run()

    # Same as the active version: nothing to lose, so no question.
    _click(app, "Load into the editor")
    assert app.success[0].value == "Version 1 is in the editor; nothing is saved yet."

    _formula_box(app).input("TCC * 7").run()
    _click(app, "Load into the editor")
    assert "differ from the active version 2 and are not saved" in page_text(app)
    assert not app.success
    _click(app, "Keep my draft")
    assert _formula_box(app).value == "TCC * 7"

    _click(app, "Restore this version")
    assert "Restoring version 1 replaces them" in page_text(app)
    _click(app, "Yes, restore version 1")
    assert app.success[0].value == "Restored version 1 as version 3; it is now the active one."
    assert _formula_box(app).value == "TCC * 1.8 + 5"


def test_a_result_past_the_highest_price_is_out_of_range_not_a_lower_price(
    demo_env: None, app: AppTest
) -> None:
    _open_pricing(app)

    _formula_box(app).input("TCC * 1000000000000 * 1000").run()

    assert not app.exception, [e.value for e in app.exception]
    metrics = _metrics(app)
    # Its cents used to overflow into negative prices shown as "ok" and counted as lowered.
    assert (metrics["Priced (of 2,650)"], metrics["Lowered"], metrics["Raised"]) == ("0", "0", "0")
    preview = next(t.value for t in app.dataframe if "issue" in t.value.columns)
    with_tcc = preview[preview["tcc"].notna()]
    assert {tuple(s) for s in with_tcc["status"]} == {("out of range",)}
    assert with_tcc["new_tsp"].isna().all()
    assert any("out of range" in w.value for w in app.warning)
