"""The one routine that answers a question: clean it, search, compose (or generate) a cited answer.

The chat app, its ``/ask`` API, the command line and ``eval/`` all call this
service, so they answer a question the same way. It is also the one place that
opens the stored index for search (building or updating it first when needed):
the retriever itself is handed a loaded index and never builds one.

Usage::

    service = AnswerService.open(Settings())
    reply = service.ask("哪些社区办公用房不达标")
    reply.found, reply.text.splitlines()[0], reply.citations[0].source_line()
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from core.errors import BackendError
from core.settings import Settings
from index.build import Progress, ensure_index
from retriever.answer.citation import Answer, Citation
from retriever.answer.extractive import ExtractiveComposer
from retriever.answer.generate import Generated, Generator
from retriever.answer.question.kinds import question_kind
from retriever.answer.question.quantity import asked_unit
from retriever.backends import open_backend
from retriever.hits import Hit
from retriever.query import PreparedQuery, prepare_query
from retriever.search import Retriever


def open_retriever(settings: Settings, progress: Progress | None = None, show_bar: bool = True) -> Retriever:
    """A retriever over the live index, which is first built or updated if it is missing or stale, and over the
    backend ``settings.backend`` names (on Milvus Lite, synced from that index when it is not yet)."""
    stored = ensure_index(settings, progress, show_bar)
    return Retriever(stored, settings, open_backend(stored, settings))


SEARCH_UNAVAILABLE = "检索服务暂时不可用，请稍后再试或联系管理员："


def typo_note(corrected: str) -> str:
    """The line above an answer to a corrected question."""
    return f"（按“{corrected}”回答：原问题中有报告里没有的词，可能是同音错字）"


def with_notices(*parts: str) -> str:
    """Notices and answer text, one per line, empty parts left out."""
    return "\n".join(part for part in parts if part)


@dataclass
class Reply:
    """A finished answer as shown to the user: notices and answer text, its sources, and whether it was found."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    found: bool = False
    unavailable: bool = False
    """The search itself failed (e.g. the Milvus server is down): ``text`` says so; it is not a 未找到."""


class AnswerService:
    """Answer questions over one retriever, extractively or through the optional language model."""

    def __init__(self, retriever: Retriever, settings: Settings | None = None) -> None:
        self.retriever = retriever
        self.settings = settings or retriever.settings
        s = self.settings
        self.composer = ExtractiveComposer(retriever.stored, retriever.tokenizer, s, retriever.first_sentence)
        self.generator = (
            Generator(s.llm_base_url, s.llm_model, s.llm_api_key, s.llm_timeout, s.llm_temperature)
            if s.llm_base_url else None
        )

    @classmethod
    def open(cls, settings: Settings, progress: Progress | None = None, show_bar: bool = True) -> AnswerService:
        """The service over the live index (built or updated first if needed)."""
        return cls(open_retriever(settings, progress, show_bar), settings)

    def prepare(self, raw: str | None) -> PreparedQuery:
        """The cleaned question, with a notice (cut) or a hint (nothing to search)."""
        return prepare_query(raw, self.settings.max_question_chars)

    def search(self, question: str, k: int | None = None, mode: str | None = None,
               files: Iterable[str] | None = None, reports: Iterable[tuple[str, int]] | None = None) -> list[Hit]:
        """Ranked passages for an already cleaned question."""
        return self.retriever.search(question, k, mode, files, reports)

    def extract(self, question: str, hits: list[Hit]) -> Answer:
        """The extractive answer for a cleaned question from its hits."""
        return self.composer.compose(question, self.retriever.query_vector(question), hits)

    def stream(self, question: str, top_k: int | None = None, mode: str | None = None,
               reports: Iterable[tuple[str, int]] | None = None) -> Iterator[Generated]:
        """The answer to a cleaned question as it grows: extractive point by point, or generated with fallback."""
        k = top_k or self.settings.answer_top_k
        if question_kind(question) == "list":  # gather every report that holds an item
            k = max(k, self.settings.list_top_k)
        try:
            hits = self.with_each_place(question, self.search(question, k, mode, reports=reports or None), mode,
                                        reports)
            corrected = self.typo_corrected(question, k, mode, reports)
        except BackendError as error:  # e.g. the Milvus server went away: say so instead of a traceback
            yield Generated("", [], notice=f"{SEARCH_UNAVAILABLE}{error}", final=True, found=False,
                            unavailable=True)
            return
        if corrected is not None:  # the generator, too, answers the question as meant, from its passages
            question, hits, extractive = corrected
        else:
            extractive = self.extract(question, hits)
        hits, extractive = self.with_figure(question, k, mode, reports, hits, extractive)
        if self.generator is None:
            lines = extractive.text.split("\n")
            for end in range(1, len(lines) + 1):  # stream the answer point by point
                yield Generated("\n".join(lines[:end]), extractive.citations, final=end == len(lines),
                                found=extractive.found)
            return
        numbered = [Citation(hit.rank, hit) for hit in hits]
        yield from self.generator.stream(question, numbered, extractive)

    def with_each_place(self, question: str, hits: list[Hit], mode: str | None,
                        reports: Iterable[tuple[str, int]] | None) -> list[Hit]:
        """``hits`` and, when the question compares places (:meth:`ExtractiveComposer.compared_places`), the best
        ``place_passages`` passages of the question asked of each place alone, after them: one ranked list serves
        the place that scores best (赣州、九江、淮北三地…: 赣州's own passage ranked 11th of one search)."""
        places = self.composer.compared_places(question)
        if not places:
            return hits
        seen = {hit.index for hit in hits}
        out = list(hits)
        for place in places:
            alone = question
            for other in places:
                if other != place:
                    alone = alone.replace(other, "")
            for hit in self.search(alone, self.settings.place_passages, mode, reports=reports or None):
                if hit.index not in seen:
                    seen.add(hit.index)
                    out.append(replace(hit, rank=len(out) + 1))
        return out

    def with_figure(self, question: str, k: int, mode: str | None, reports: Iterable[tuple[str, int]] | None,
                    hits: list[Hit], answer: Answer) -> tuple[list[Hit], Answer]:
        """``hits`` and ``answer``, or, when the question asks for an amount in a unit (多少钱 → 元) and no point
        states one, or asks the number of something no point names (``Answer.uncounted``), those of a search of
        ``list_top_k`` passages, if its answer does: a report's figure often lies in a passage below the first
        ``k`` (沙市…一共投了多少钱 quoted 沙市's remarks, not its 1301万元)."""
        unit = asked_unit(question)
        wanting = answer.uncounted or (answer.found and unit is not None and not unit.search(answer.text))
        if not wanting or k >= self.settings.list_top_k:
            return hits, answer
        deeper = self.search(question, self.settings.list_top_k, mode, reports=reports or None)
        wider = self.extract(question, deeper)
        states = wider.found and (unit is None or unit.search(wider.text))
        return (deeper, wider) if states else (hits, answer)

    def typo_corrected(self, question: str, k: int, mode: str | None,
                       reports: Iterable[tuple[str, int]] | None) -> tuple[str, list[Hit], Answer] | None:
        """``question`` with its homophone typos corrected (工做者 → 工作者), its hits and its answer, when that
        one is found (the answer's first line says which question was answered); else None."""
        corrected = self.composer.typo_correction(question)
        if corrected is None:
            return None
        hits = self.search(corrected, k, mode, reports=reports or None)
        answer = self.extract(corrected, hits)
        if not answer.found:
            return None
        return corrected, hits, replace(answer, text=with_notices(typo_note(corrected), answer.text))

    def ask(self, raw: str | None, top_k: int | None = None, mode: str | None = None,
            reports: Iterable[tuple[str, int]] | None = None) -> Reply:
        """Clean ``raw``, answer it, and return the final reply (notices first)."""
        prepared = self.prepare(raw)
        if prepared.hint:
            return Reply(with_notices(prepared.notice, prepared.hint))
        final = list(self.stream(prepared.text, top_k, mode, reports))[-1]
        return Reply(with_notices(prepared.notice, final.notice, final.text), final.citations, final.found,
                     final.unavailable)
