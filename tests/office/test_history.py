"""Question history: each user sees and reopens only their own questions, with answer and sources, newest first."""

from __future__ import annotations

import stat

from office.history import History

SOURCE = {"n": 1, "id": "c1", "file": "a.txt", "report": 1, "report_title": "调研报告", "section_path": ["一、情况"],
          "line_start": 3, "line_end": 4, "rank": 1, "score": 0.9, "text": "截山社区办公用房仅144平方米。",
          "duplicates": [], "highlights": [[0, 15]]}


def test_entries_round_trip_per_user_newest_first(settings):
    history = History.open(settings)
    first = history.add("li", "哪些社区办公用房不达标", "- 截山社区办公用房仅144平方米。 [1]", True, [SOURCE])
    second = history.add("li", "社区经费从哪里来", "报告中未找到……", False, [])
    history.add("wang", "三社联动", "……", True, [])
    entries = history.recent("li")
    assert [e.id for e in entries] == [second, first]
    entry = history.get("li", first)
    assert entry.question == "哪些社区办公用房不达标" and entry.found is True and entry.sources == [SOURCE]
    assert entry.label().endswith(" · 哪些社区办公用房不达标") and entry.asked_at[10] == "T"


def test_a_user_cannot_open_another_users_entry(settings):
    history = History.open(settings)
    entry = history.add("li", "三社联动", "……", True, [])
    assert history.get("wang", entry) is None and history.recent("wang") == []
    assert history.get("li", entry + 100) is None


def test_only_the_newest_entries_of_each_user_are_kept(settings):
    history = History(settings.data_dir / "history.sqlite3", keep=3)
    for n in range(5):
        history.add("li", f"问题{n}", "答", True, [])
    history.add("wang", "别人的问题", "答", True, [])
    assert [e.question for e in history.recent("li")] == ["问题4", "问题3", "问题2"]
    assert len(history.recent("wang")) == 1 and len(history.recent("li", limit=2)) == 2


def test_nothing_is_written_by_reading(settings):
    history = History.open(settings)
    assert history.recent("li") == [] and history.get("li", 1) is None
    assert not history.path.exists()


def test_the_history_file_is_readable_by_its_owner_only(settings, usual_umask):
    """Every user's questions and answers: it was made world-readable (0644 under umask 022), unlike users.sqlite3."""
    history = History.open(settings)
    history.add("li", "哪些社区办公用房不达标", "……", True, [])
    assert stat.S_IMODE(history.path.stat().st_mode) == 0o600
    assert [p.name for p in settings.data_dir.iterdir()] == ["history.sqlite3"]  # no journal left beside it
