"""Messages in Spanish and English, and the rubric options that choose and reword them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.errors import InputError
from grader.frameworks.keras import old_api
from grader.grading.rubric import load_rubric
from grader.i18n import LANGUAGES, fields_of, msg, render
from grader.i18n.catalogue import MESSAGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("message_id", sorted(MESSAGES))
def test_every_message_exists_in_both_languages_with_the_same_fields(message_id):
    texts = MESSAGES[message_id]
    assert set(texts) == set(LANGUAGES)
    assert all(texts[lang].strip() for lang in LANGUAGES)
    assert fields_of(texts["en"]) == fields_of(texts["es"])


def test_every_old_keras_pattern_is_explained_in_both_languages():
    for pattern in old_api.PATTERNS:
        english, spanish = render(pattern.message(), "en"), render(pattern.message(), "es")
        assert english and spanish and english != spanish, pattern.id


def test_no_user_facing_text_is_chosen_by_language_outside_the_catalogue():
    """One catalogue: no ``lang == "es"`` branches, no inline ``en=``/``es=`` texts in the code."""
    import re

    for path in (ROOT / "grader").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""lang\s*==\s*["'](es|en)["']""", text), path
        assert not re.search(r"""\b(en|es)\s*=\s*f?["'][A-Z]""", text), path


def test_every_message_id_the_code_uses_is_in_the_catalogue():
    import re

    used = set()
    for path in (ROOT / "grader").rglob("*.py"):
        used |= set(re.findall(r"""\bmsg\(\s*f?["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""\btext\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    for path in (ROOT / "grader" / "reports" / "templates").glob("*.j2"):
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    assert used and used <= set(MESSAGES), sorted(used - set(MESSAGES))


def test_nested_messages_render_in_the_chosen_language():
    message = msg("layers.fail", problems=[msg("layers.missing", ref="fc7", describe="Dense(4096, relu)"),
                                           msg("layers.extra", layer="dropout_3", describe="Dropout(0.5)")])
    assert render(message, "en") == ("`fc7`: missing; add Dense(4096, relu); extra layer `dropout_3` (Dropout(0.5)) "
                                     "that the reference does not have.")
    assert render(message, "es").startswith("`fc7`: falta; añade Dense(4096, relu); capa de más `dropout_3`")


def _rubric(tmp_path, extra: str) -> Path:
    (tmp_path / "ref").mkdir(exist_ok=True)
    (tmp_path / "ref" / "m.py").write_text("def build():\n    pass\n")
    path = tmp_path / "rubric.yaml"
    path.write_text(textwrap.dedent("""\
        assignment: demo
        reference: ref
        models: {m: {build: m.py:build, title: {es: Bloque, en: Block}}}
        activities:
          - id: "1"
            title: {es: "Primera", en: "First"}
            checks:
              - {kind: model_found, model: m, title: {es: Construido, en: Built}, hidden: true}
        """) + extra)
    return path


def test_rubric_titles_and_messages_per_language(tmp_path):
    rubric = load_rubric(_rubric(tmp_path, textwrap.dedent("""\
        language: es
        legacy_keras: true
        messages:
          layers.missing: {es: "Te falta {ref}: {describe}", en: "You left out {ref}: {describe}"}
        """)))
    assert rubric.language == "es" and rubric.legacy_keras
    assert render(rubric.activities[0].title, "en") == "First" and render(rubric.models["m"].title, "es") == "Bloque"
    assert rubric.activities[0].checks[0].hidden
    message = msg("layers.missing", ref="fc7", describe="Dense(10)")
    assert render(message, "es", rubric.messages) == "Te falta fc7: Dense(10)"
    assert render(message, "en", rubric.messages) == "You left out fc7: Dense(10)"


@pytest.mark.parametrize("extra, problem", [
    ("messages:\n  no.such.id: {es: x, en: y}\n", "unknown message id 'no.such.id'"),
    ("messages:\n  layers.missing: {es: 'falta {layer_name}', en: x}\n", "uses the field 'layer_name'"),
    ("messages:\n  layers.missing: {fr: x}\n", "per language takes the keys en, es"),
    ("legacy_keras: yes please\n", "'legacy_keras' must be true or false"),
])
def test_wrong_rubric_options_are_one_line_errors(tmp_path, extra, problem):
    with pytest.raises(InputError) as error:
        load_rubric(_rubric(tmp_path, extra))
    assert problem in error.value.one_line() and "rubric.yaml" in error.value.one_line()
