"""Student packs (``grader release`` / ``grader check --pack``): the visible checks without the answer key.

Every course in ``rubrics/`` is released twice: as it is, and as a variant with a third of its
checks hidden and private notes added (so that the leak test has something to leak). Every example
submission of the course is then graded with the full course and with the pack, and the visible
checks must agree exactly: status, points, message, expected and found.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from grader.cli import main
from grader.errors import InputError
from grader.expectations.pack import PACK_FILE, load_pack, release
from grader.grading.rubric import Rubric, load_rubric

ROOT = Path(__file__).resolve().parent.parent
RUBRICS = sorted((ROOT / "rubrics").glob("*.yaml"))
PRIVATE = "PRIVATE-NOTE-7f3a: the padding trick is the hidden check's point"


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_every_rubric_round_trips_through_its_plain_config(path):
    rubric = load_rubric(path)
    config = json.loads(json.dumps(rubric.get_config()))  # plain data: survives JSON
    assert Rubric.from_config(config) == rubric


def test_a_private_note_is_kept_for_the_instructor_and_must_be_text(tmp_path):
    text = (ROOT / "rubrics" / "actividad2.yaml").read_text(encoding="utf-8")
    text = text.replace("reference: ../", f"reference: {ROOT}/").replace("  - ../", f"  - {ROOT}/") \
        .replace("path: ../", f"path: {ROOT}/")
    (tmp_path / "r.yaml").write_text(text.replace("schema: 1", f"schema: 1\nprivate: {PRIVATE!r}"), encoding="utf-8")
    assert load_rubric(tmp_path / "r.yaml").private == PRIVATE
    (tmp_path / "bad.yaml").write_text(text.replace("schema: 1", "schema: 1\nprivate: [1, 2]"), encoding="utf-8")
    with pytest.raises(InputError, match="'private' must be a non-empty text"):
        load_rubric(tmp_path / "bad.yaml")


# --- courses, with and without hidden checks ----------------------------------------------------

def _absolute(value, base: Path):
    """The rubric's relative paths made absolute, so that a copy works from another folder."""
    if isinstance(value, str) and value.startswith(("../", "./")):
        return str((base / value).resolve())
    if isinstance(value, list):
        return [_absolute(item, base) for item in value]
    if isinstance(value, dict):
        return {key: _absolute(item, base) for key, item in value.items()}
    return value


def hidden_variant(path: Path, folder: Path) -> Path:
    """A copy of the rubric at ``path`` with every third check hidden and private notes everywhere."""
    data = _absolute(yaml.safe_load(path.read_text(encoding="utf-8")), path.parent)
    data["private"] = PRIVATE
    checks = [check for activity in data["activities"] for check in activity["checks"]]
    for number, check in enumerate(checks):
        check["private"] = f"{PRIVATE} ({check['id'] if 'id' in check else number})"
        if number % 3 == 1:
            check["hidden"] = True
    target = folder / f"{path.stem}_hidden.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def examples(rubric) -> list[Path]:
    folder = ROOT / "submissions" / rubric.assignment
    return sorted(p for p in folder.iterdir() if not p.name.startswith((".", "_")))  # as grade collects them


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """{name: (full rubric, pack)} for every course, as it is and with hidden checks."""
    folder = tmp_path_factory.mktemp("courses")
    result = {}
    for path in RUBRICS:
        for rubric_path in (path, hidden_variant(path, folder)):
            rubric = load_rubric(rubric_path)
            pack_folder = release(rubric_path, folder / "packs" / rubric_path.stem)
            result[rubric_path.stem] = (rubric, load_pack(pack_folder, course=rubric))
    return result


@pytest.fixture(scope="module")
def shared_execution():
    """Run each submission once for both gradings: the pack changes what the checks compare with,
    never how the student's code runs (its resources are the same files, checked by hash)."""
    import grader.grading.grade as grade

    real, runs = grade.execute, {}

    def execute(submission, **kwargs):
        key = (str(submission.path), str(kwargs.get("fit_cap")), tuple(Path(r).name for r in kwargs["resources"]))
        if key not in runs:
            runs[key] = real(submission, **kwargs)
        return runs[key]

    patch = pytest.MonkeyPatch()
    patch.setattr(grade, "execute", execute)
    yield runs
    patch.undo()


def _visible(result) -> list[tuple]:
    return [(c.id, c.status, c.points, c.message, json.dumps(c.expected), json.dumps(_settled(c.found)), c.hint)
            for c in result.checks if not c.hidden]


def _settled(found):
    """``found`` without whether a training came from the cache (it depends on what ran before, not on the pack)."""
    return {k: v for k, v in found.items() if k != "cached"} if isinstance(found, dict) else found


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.stem for p in RUBRICS] + [f"{p.stem}_hidden" for p in RUBRICS])
def test_a_pack_grades_every_example_as_the_full_course_does(courses, shared_execution, name):
    from grader.grading.grade import grade_submission

    rubric, pack = courses[name]
    assert examples(rubric)
    for path in examples(rubric):
        full = grade_submission(path, rubric)
        packed = grade_submission(path, pack.rubric, references=pack.references, known=pack.values)
        assert _visible(packed) == _visible(full), path.name
        hidden = [c for c in full.checks if c.hidden]
        assert [c.id for c in packed.checks] == [c.id for c in full.checks if not c.hidden]
        assert (pack.hidden_checks, pack.hidden_points) == (len(hidden), sum(c.max_points for c in hidden))


# --- leaks ----------------------------------------------------------------------------------------

def _texts(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*")) if p.is_file())


def _secrets(rubric, shipped: str) -> list[str]:
    """What must not reach a student: the reference's source lines (but for lines the student receives
    anyway in the course's resources, or too short to mean anything), hidden checks' ids, titles and
    private notes."""
    secrets = []
    for source in sorted(Path(rubric.reference).rglob("*.py")):
        for line in source.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= 12 and line not in shipped:
                secrets.append(line)
    def texts(title):
        return set(title.values()) if isinstance(title, dict) else {title}

    shown = set().union(*(texts(a.title) for a in rubric.activities), *(texts(m.title) for m in rubric.models.values()),
                        *(texts(c.title) for a in rubric.activities for c in a.checks if not c.hidden))
    for activity in rubric.activities:
        for check in activity.checks:
            if check.hidden:  # its title is secret unless the rubric shows the same words elsewhere
                secrets += [f'"{check.id}"', *(t for t in texts(check.title)
                                               if t and not any(t in text for text in shown if text))]
    return secrets + [PRIVATE]


@pytest.mark.slow
@pytest.mark.parametrize("name", [f"{p.stem}_hidden" for p in RUBRICS])
def test_a_pack_and_what_check_writes_with_it_hold_no_secret(courses, tmp_path, monkeypatch, name):
    rubric, pack = courses[name]
    resources = _texts(pack.folder / "resources")
    secrets = _secrets(rubric, resources)
    assert any(s.startswith('"') for s in secrets), "the variant hides no check: nothing to test"
    submission = examples(rubric)[0]
    own = submission.read_text(encoding="utf-8") if submission.is_file() else _texts(submission)
    monkeypatch.chdir(tmp_path)
    main(["check", str(submission), "--pack", str(pack.folder)])
    written = _texts(pack.folder) + _texts(tmp_path / "reports")
    assert (tmp_path / "reports").is_dir()
    leaked = [secret for secret in secrets if secret in written and secret not in own]
    assert leaked == []
    assert not list(pack.folder.rglob("*.py")) or all(p.parent.name == "resources" or "resources" in p.parts
                                                      for p in pack.folder.rglob("*.py"))
    assert not [p for p in pack.folder.rglob("*") if p.suffix in (".pkl", ".pickle", ".npy", ".npz", ".h5", ".keras")
                and "resources" not in p.parts]


@pytest.mark.slow
def test_the_leak_test_finds_a_leak(courses, tmp_path):
    """The grep above can fail: a pack with a hidden check's title put back in is caught."""
    rubric, pack = courses["actividad2_hidden"]
    secrets = _secrets(rubric, _texts(pack.folder / "resources"))
    hidden_title = next(c.title for a in rubric.activities for c in a.checks if c.hidden)
    content = (pack.folder / PACK_FILE).read_text(encoding="utf-8")
    assert hidden_title in secrets and hidden_title not in content
    assert any(line in (ROOT / "reference" / "actividad2" / "alexnet.py").read_text() for line in secrets)


# --- hidden means hidden in visible messages ------------------------------------------------------

BLOCK2_SAME = '''
import keras
from keras import layers
x = entrada = keras.Input(shape=(224, 224, 3))
x = layers.ZeroPadding2D((2, 2))(x)
x = layers.Conv2D(96, (11, 11), strides=(4, 4), activation="relu")(x)
x = layers.BatchNormalization()(x)
x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
x = layers.ZeroPadding2D((2, 2))(x)
x = layers.Conv2D(256, (5, 5), padding="same", activation="relu")(x)
x = layers.BatchNormalization()(x)
x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
for filters in (384, 384, 256):
    x = layers.ZeroPadding2D((1, 1))(x)
    x = layers.Conv2D(filters, (3, 3), activation="relu")(x)
x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
x = layers.Flatten()(x)
x = layers.Dropout(0.5)(layers.Dense(4096, activation="relu")(x))
x = layers.Dropout(0.5)(layers.Dense(4096, activation="relu")(x))
modelAlexNet = keras.Model(entrada, layers.Dense(1000, activation="softmax")(x))
'''


def _block2_and_params_hidden(folder: Path) -> Path:
    data = _absolute(yaml.safe_load((ROOT / "rubrics" / "actividad2.yaml").read_text(encoding="utf-8")),
                     ROOT / "rubrics")
    for activity in data["activities"]:
        for check in activity["checks"]:
            if activity["id"] == "2" or check["kind"] == "params":
                check["hidden"] = True
    target = folder / "actividad2_block2_hidden.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.mark.slow
def test_a_visible_message_never_names_what_only_a_hidden_check_examines(tmp_path):
    """The issue's case: block 2 and the parameter checks hidden, block 2's conv with padding 'same'.
    Shown in full, the Flatten check names that conv and its padding; with them hidden it must not."""
    from grader.grading.grade import grade_submission

    submission = tmp_path / "alexnet.py"
    submission.write_text(BLOCK2_SAME, encoding="utf-8")
    shown = load_rubric(ROOT / "rubrics" / "actividad2.yaml")
    hidden = load_rubric(_block2_and_params_hidden(tmp_path))
    flatten = {}
    for label, rubric in (("shown", shown), ("hidden", hidden)):
        result = grade_submission(submission, rubric)
        flatten[label] = next(c for c in result.checks if c.id == "a5-shape")
    assert flatten["shown"].status == flatten["hidden"].status == "fail"
    assert "padding" in flatten["shown"].message + flatten["shown"].hint  # the control: the leak exists
    for text in (flatten["hidden"].message, flatten["hidden"].hint):
        assert "padding" not in text and "conv2d_1" not in text and "same" not in text
    assert flatten["hidden"].found == flatten["shown"].found and flatten["hidden"].expected == flatten["shown"].expected


# --- a pack that is not the one released ----------------------------------------------------------

@pytest.fixture()
def pack_copy(courses, tmp_path):
    _, pack = courses["actividad2"]
    copy = tmp_path / "pack"
    shutil.copytree(pack.folder, copy)
    return copy


def _edit(folder: Path, change) -> None:
    content = json.loads((folder / PACK_FILE).read_text(encoding="utf-8"))
    change(content)
    (folder / PACK_FILE).write_text(json.dumps(content), encoding="utf-8")


def _first_layer_with_params(content):
    return next(layer for card in content["references"].values() for layer in card["layers"] if layer["params"])


@pytest.mark.slow
@pytest.mark.parametrize("edit", ["threshold", "count", "resource", "version"])
def test_a_pack_edited_by_hand_or_for_another_grader_is_refused_in_one_line(pack_copy, edit):
    if edit == "threshold":
        _edit(pack_copy, lambda c: c["values"][next(iter(c["values"]))].update(reference_value=99.0))
        expected = "changed after it was released"
    elif edit == "count":
        _edit(pack_copy, lambda c: _first_layer_with_params(c).update(params=1))
        expected = "changed after it was released"
    elif edit == "resource":
        resource = next((pack_copy / "resources").iterdir())
        resource.write_text(resource.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        expected = "a file of the pack was changed"
    else:
        from grader.expectations.pack import _content_sha256

        def older(content):
            content["grader_version"] = "0.0.1"
            content["content_sha256"] = _content_sha256(content)
        _edit(pack_copy, older)
        expected = "made by grader 0.0.1"
    with pytest.raises(InputError, match=expected) as caught:
        load_pack(pack_copy)
    assert "\n" not in caught.value.one_line() and str(pack_copy) in caught.value.one_line()


@pytest.mark.slow
def test_a_pack_for_another_version_of_the_course_is_recognized(pack_copy, tmp_path):
    text = (ROOT / "rubrics" / "actividad2.yaml").read_text(encoding="utf-8")
    text = text.replace("reference: ../", f"reference: {ROOT}/").replace("  - ../", f"  - {ROOT}/") \
        .replace("path: ../", f"path: {ROOT}/")
    changed = tmp_path / "actividad2.yaml"
    changed.write_text(text.replace("relative: 1.25", "relative: 1.5"), encoding="utf-8")
    load_pack(pack_copy, course=load_rubric(ROOT / "rubrics" / "actividad2.yaml"))  # the same course: fine
    with pytest.raises(InputError, match="another version of the course"):
        load_pack(pack_copy, course=load_rubric(changed))


@pytest.mark.slow
def test_check_with_an_edited_pack_says_so_in_one_line_and_grades_nothing(pack_copy, tmp_path, monkeypatch, capsys):
    _edit(pack_copy, lambda c: _first_layer_with_params(c).update(params=1))
    monkeypatch.chdir(tmp_path)
    code = main(["check", str(ROOT / "submissions" / "actividad2" / "correct.ipynb"), "--pack", str(pack_copy)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "changed after it was released" in err[0]
    assert not (tmp_path / "reports").exists()


# --- the student's command ------------------------------------------------------------------------

@pytest.mark.slow
def test_check_finds_the_pack_beside_the_notebook_and_says_hidden_checks_exist(courses, tmp_path, monkeypatch, capsys):
    rubric, pack = courses["actividad2_hidden"]
    repo = tmp_path / "student-repo"
    shutil.copytree(pack.folder, repo / "grader-pack")
    shutil.copy(ROOT / "submissions" / "actividad2" / "partial.ipynb", repo / "actividad2.ipynb")
    monkeypatch.chdir(repo)
    code = main(["check", "actividad2.ipynb", "--json", "out.json"])
    assert code == 1
    printed = capsys.readouterr().out
    assert "paquete de estudiante" in printed and str(pack.hidden_checks) in printed  # a Spanish course
    result = json.loads((repo / "out.json").read_text(encoding="utf-8"))
    assert result["graded_by_instructor"] == {"checks": pack.hidden_checks, "points": pack.hidden_points}
    assert all(not c["hidden"] for c in result["checks"])


@pytest.mark.slow
def test_grade_reuses_what_check_graded_under_the_same_course(tmp_path, monkeypatch, capsys):
    from grader.cli import grade_main

    folder = tmp_path / "class" / "actividad2"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "submissions" / "actividad2" / "partial.ipynb", folder / "ana.ipynb")
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(folder / "ana.ipynb"), "--rubric", str(ROOT / "rubrics" / "actividad2.yaml")]) == 1
    checked = json.loads(next((tmp_path / "reports").rglob("results.json")).read_text(encoding="utf-8"))
    capsys.readouterr()
    assert grade_main([str(folder), "--rubric", str(ROOT / "rubrics" / "actividad2.yaml"),
                       "--out", str(tmp_path / "out")]) == 0
    graded = json.loads((tmp_path / "out" / "actividad2" / "ana" / "results.json").read_text(encoding="utf-8"))
    assert graded["graded_at"] == checked["graded_at"] and graded["score"] == checked["score"]
    assert "1 de 1 entregas no cambiaron" in capsys.readouterr().out  # actividad2 is a Spanish course
