"""Published battery versions are read and turned into form classes once per app process."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import event

from survey import create_app
from survey.extensions import db
from survey.forms import build_section_form
from survey.models import BatteryVersion
from survey.questionnaires.published import PublishedVersions, published_versions
from survey.services.batteries.builder import start_draft
from survey.services.batteries.mapping import version_definition
from tests.mail.conftest import battery_version_id  # noqa: F401  (fixture)

STRUCTURE_TABLES = ("sections", "questions", "question_options", "batteries")


def _structure_queries(app, work) -> tuple[object, list[str]]:  # noqa: ANN001
    """Run `work()` in a fresh app context; return its value and the structure queries sent."""
    seen: list[str] = []

    def listen(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        if any(f"FROM {table}" in statement for table in STRUCTURE_TABLES):
            seen.append(statement)

    with app.test_request_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", listen)
        try:
            value = work()
        finally:
            event.remove(engine, "before_cursor_execute", listen)
    return value, seen


def test_a_published_version_is_read_once_and_its_forms_generated_once(
    app,
    battery_version_id: int,  # noqa: F811
) -> None:
    def work():  # noqa: ANN202
        version = db.session.get(BatteryVersion, battery_version_id)
        forms = [build_section_form(version, "besoket", language=lang) for lang in ("sv", "en")]
        return version_definition(version), [type(form) for form in forms]

    (first, classes), queries = _structure_queries(app, work)
    assert queries  # the first request reads sections, questions and options
    (again, classes_again), queries = _structure_queries(app, work)
    assert queries == []
    assert again is first and classes_again == classes
    assert classes[0] is not classes[1]  # one class per language
    assert first.sections[0].questions[0].key == "BESOK_VART_TIDEN"


def test_a_draft_is_read_from_its_rows_every_time(app, battery_version_id: int) -> None:  # noqa: F811
    with app.app_context():
        draft = start_draft("uppfoljning-foretagsbesok", actor_id=None)
        assert version_definition(draft).sections[0].questions[0].text.sv != "Ny fråga?"
        draft.sections[0].questions[0].text_sv = "Ny fråga?"
        db.session.flush()
        assert version_definition(draft).sections[0].questions[0].text.sv == "Ny fråga?"
        db.session.rollback()


def test_cache_keys_are_the_id_and_the_content_hash() -> None:
    cache, built = PublishedVersions(), []

    def build(version):  # noqa: ANN001, ANN202
        built.append(version)
        return SimpleNamespace(source=version)

    first = SimpleNamespace(id=1, content_hash="a" * 64, is_published=True)
    assert cache.definition(first, build) is cache.definition(first, build)
    assert len(built) == 1
    # The same id with other content (SQLite may reuse an id after a delete): built anew.
    reused = SimpleNamespace(id=1, content_hash="b" * 64, is_published=True)
    assert cache.definition(reused, build).source is reused
    draft = SimpleNamespace(id=2, content_hash=None, is_published=False)
    cache.definition(draft, build)
    cache.definition(draft, build)
    assert len(built) == 4


def test_derived_things_are_kept_only_for_cached_definitions() -> None:
    cache = PublishedVersions()
    version = SimpleNamespace(id=1, content_hash="a" * 64, is_published=True)
    definition = cache.definition(version, lambda v: SimpleNamespace())
    kept = cache.derived(definition, ("s", "sv"), lambda: type("A", (), {}))
    assert cache.derived(definition, ("s", "sv"), lambda: type("B", (), {})) is kept
    assert cache.derived(definition, ("s", "en"), lambda: type("B", (), {})) is not kept
    other = SimpleNamespace()
    made = [cache.derived(other, ("s", "sv"), lambda: type("C", (), {})) for _ in range(2)]
    assert made[0] is not made[1]


def test_each_app_has_its_own_cache(app, database_url: str) -> None:
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        mine = published_versions()
        assert published_versions() is mine
    with other.app_context():
        assert published_versions() is not mine
        db.engine.dispose()
    assert published_versions() is None  # no app context: nothing to cache in
