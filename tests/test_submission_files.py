"""What a submission is made of, read without trusting it (issue 7): links, special files, budgets.

Unit level: no sandbox, no TensorFlow. The same classes of attack run end to end, at the strong
sandbox level, in ``tests/hostile/test_course_and_files.py``.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from grader.errors import InputError
from grader.submission.collect import course_rubric, rubric_search_dirs, submissions_in
from grader.submission.files import Budget, copy_into, hash_into, scan
from grader.submission.submission import Submission, read_source


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "carla"
    folder.mkdir()
    (folder / "hw.py").write_text("x = 1\n")
    return folder


def test_links_and_special_files_are_refused_without_being_opened(tmp_path):
    folder = _folder(tmp_path)
    os.symlink("/etc/passwd", folder / "notes.txt")
    os.symlink(".", folder / "loop")
    os.symlink("/dev/zero", folder / "zero.bin")
    os.mkfifo(folder / "pipe")  # opening it would block forever
    listing = scan(folder)
    assert [entry.relative for entry in listing.files] == ["hw.py"]
    assert {(r.relative, r.why) for r in listing.refused} == {
        ("notes.txt", "link"), ("loop", "link"), ("zero.bin", "link"), ("pipe", "fifo")}
    assert listing.refused[0].line() == "loop is a link; submissions hold regular files only"


def test_a_folder_that_contains_itself_many_times_costs_nothing(tmp_path):
    folder = _folder(tmp_path)
    for name in "abcdefgh":
        os.symlink(".", folder / name)
    listing = scan(folder)
    assert len(listing.files) == 1 and len(listing.refused) == 8


def test_budgets_bound_files_depth_and_bytes(tmp_path):
    folder = _folder(tmp_path)
    deep = folder
    for i in range(6):
        deep = deep / f"d{i}"
        deep.mkdir()
        (deep / "f.txt").write_text("x")
    listing = scan(folder, Budget(depth=3))
    assert [r.why for r in listing.refused] == ["depth"]
    assert max(len(Path(entry.relative).parts) for entry in listing.files) == 3
    for i in range(20):
        (folder / f"many{i:02}.txt").write_text("y")
    listing = scan(folder, Budget(files=10))
    assert len(listing.files) == 10 and listing.refused[-1].why == "files"
    (folder / "a_big.bin").write_bytes(b"z" * 5000)
    listing = scan(folder, Budget(total_bytes=4000, file_bytes=4000))
    assert [(r.relative, r.why) for r in listing.refused] == [("a_big.bin", "bytes")]
    assert "hw.py" in [entry.relative for entry in listing.files]  # smaller files still fit


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_hashing_a_huge_file_streams_it(tmp_path):
    """A 150 MB file is hashed in chunks: the process does not grow by its size."""
    folder = _folder(tmp_path)
    with open(folder / "sparse.bin", "wb") as handle:
        handle.truncate(150_000_000)
    code = (f"import hashlib, resource; from grader.submission.files import scan, hash_into; "
            f"before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; d = hashlib.sha256(); "
            f"hash_into(d, scan({str(folder)!r})); "
            f"print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)")
    grown_mb = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert grown_mb < 50


def test_the_hash_changes_with_content_and_with_what_was_refused(tmp_path):
    folder = _folder(tmp_path)

    def digest():
        d = hashlib.sha256()
        hash_into(d, scan(folder))
        return d.hexdigest()

    first = digest()
    (folder / "hw.py").write_text("x = 2\n")
    second = digest()
    os.symlink("/etc/passwd", folder / "notes.txt")
    assert len({first, second, digest()}) == 3


def test_copy_in_holds_regular_files_only(tmp_path):
    folder = _folder(tmp_path)
    (folder / "data").mkdir()
    (folder / "data" / "x.csv").write_text("1,2\n")
    os.symlink("/etc/passwd", folder / "data" / "passwd")
    target = tmp_path / "work"
    copy_into(scan(folder), target)
    found = sorted(str(p.relative_to(target)) for p in target.rglob("*"))
    assert found == ["data", "data/x.csv", "hw.py"]
    assert not any(p.is_symlink() for p in target.rglob("*"))


def test_a_submission_that_is_a_link_is_an_input_error(tmp_path):
    (tmp_path / "victim.py").write_text("secret = 1\n")
    os.symlink("victim.py", tmp_path / "copycat.py")
    with pytest.raises(InputError, match="copycat.py is a link"):
        Submission.from_path(tmp_path / "copycat.py")


def test_a_folder_with_only_links_says_what_it_left_out(tmp_path):
    folder = tmp_path / "bob"
    folder.mkdir()
    os.symlink("../victim.py", folder / "homework.py")
    with pytest.raises(InputError, match="homework.py is a link"):
        Submission.from_path(folder)


def test_read_source_refuses_a_link_swapped_in(tmp_path):
    folder = _folder(tmp_path)
    submission = Submission.from_path(folder)
    (folder / "hw.py").unlink()
    os.symlink("/etc/passwd", folder / "hw.py")
    with pytest.raises(InputError, match="regular file"):
        read_source(submission.files[0])


def test_submissions_in_lists_links_so_their_students_get_a_result(tmp_path):
    (tmp_path / "ana.py").write_text("x = 1\n")
    os.symlink("ana.py", tmp_path / "copycat.py")
    _folder(tmp_path)
    assert [p.name for p in submissions_in(tmp_path)] == ["ana.py", "carla", "copycat.py"]


def test_a_rubric_inside_the_submission_is_never_a_candidate(tmp_path, monkeypatch):
    course = tmp_path / "course"
    (course / "rubrics").mkdir(parents=True)
    (course / "rubrics" / "actividad2.yaml").write_text("assignment: actividad2\n")
    student = course / "submissions" / "actividad2" / "carla"
    (student / "rubrics").mkdir(parents=True)
    (student / "rubrics" / "actividad2.yaml").write_text("assignment: mine\n")
    (student / "hw.py").write_text("x = 1\n")
    for cwd in (student, student.parent, course):
        monkeypatch.chdir(cwd)
        assert student / "rubrics" not in rubric_search_dirs(Path("carla") if cwd == student.parent else student)
        rubric, how = course_rubric(Path(os.path.relpath(student, cwd)))
        assert rubric == course / "rubrics" / "actividad2.yaml", (cwd, rubric)
        from grader.i18n import render

        assert render(how, "en") == "the folder 'actividad2'" and render(how, "es") == "la carpeta 'actividad2'"


def test_resource_usage_of_scanning_a_sparse_giant_is_nil(tmp_path):
    folder = _folder(tmp_path)
    with open(folder / "giant.bin", "wb") as handle:
        handle.truncate(1_500_000_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    listing = scan(folder)
    assert [r.why for r in listing.refused] == ["bytes"]
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < 10 * 1024
