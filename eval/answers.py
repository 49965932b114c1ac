"""Answer-level evaluation: does the answer text an official reads state the evidence, and say "未找到" honestly?

For every answerable gold question the answer service's final reply is judged on:

* ``answer_hit`` — some evidence string appears in the answer text;
* ``answer_coverage`` — the share of the evidence strings that appear in it;
* ``citation_exact`` — every quoted point is an exact slice of the passage its ``[n]`` cites;
* ``length`` — characters of the answer text;
* ``false_not_found`` — the answer says "未找到" although the reports answer it.

For every unanswerable question (``type`` "unanswerable": a subject the reports
never mention, or one far off the topic) ``abstained`` says whether the reply
said "未找到" (``found`` false and "未找到" on its first line).
Matching ignores whitespace, punctuation and the ``[n]`` markers
(:func:`index.text.normalise.normalise_for_match`), so an evidence string that runs
over two quoted sentences of one passage counts when both are quoted in order.

Example:

    >>> point_lines("关于…：\\n《报告》\\n- 办公用房仅20平方米。 [2]")
    [('办公用房仅20平方米。', [2])]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from eval.metrics import percentile
from index.text.normalise import normalise_for_match
from retriever.answer.citation import Citation
from retriever.answer.service import AnswerService, Reply

POINT = re.compile(r"^- (?P<text>.+?)\s*(?P<markers>(?:\[\d+\])+)$")
MARKER = re.compile(r"\[\d+\]")
NOT_FOUND = "未找到"


def point_lines(text: str) -> list[tuple[str, list[int]]]:
    """The quoted points of an answer: ``(sentence, [cited numbers])`` for every "- … [n]" line."""
    points = []
    for line in text.splitlines():
        match = POINT.match(line.strip())
        if match:
            points.append((match["text"], [int(n) for n in re.findall(r"\d+", match["markers"])]))
    return points


def citations_exact(text: str, citations: list[Citation]) -> bool:
    """Every quoted point is an exact slice (one of the highlighted spans) of each passage it cites."""
    by_number = {c.n: c for c in citations}
    for sentence, numbers in point_lines(text):
        for n in numbers:
            citation = by_number.get(n)
            if citation is None:
                return False
            slices = {citation.hit.text[s:e].strip() for s, e in citation.spans}
            if sentence not in slices:
                return False
    return True


def says_not_found(reply: Reply) -> bool:
    """The reply abstains: ``found`` is false and its first line says "未找到"."""
    first = next((line for line in reply.text.splitlines() if line.strip()), "")
    return not reply.found and NOT_FOUND in first


@dataclass
class AnswerResult:
    """One gold question's reply, judged."""

    id: str
    question: str
    type: str
    split: str
    answerable: bool
    text: str
    found: bool
    abstained: bool
    hit: bool = False
    coverage: float = 0.0
    exact: bool = True
    missed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def length(self) -> int:
        """Characters of the answer text."""
        return len(self.text)


def judge(item, reply: Reply, seconds: float = 0.0) -> AnswerResult:
    """Judge one reply against its gold question (``eval.evaluate.GoldQuestion``)."""
    abstained = says_not_found(reply)
    result = AnswerResult(item.id, item.question, item.type, item.split, bool(item.evidence), reply.text,
                          reply.found, abstained, exact=citations_exact(reply.text, reply.citations),
                          seconds=seconds)
    if item.evidence:
        answer = normalise_for_match(MARKER.sub("", reply.text))  # "[2]" is no part of the quoted text
        inside = [norm in answer for norm in item.evidence_norm]
        result.hit = any(inside) and not abstained
        result.coverage = sum(inside) / len(inside) if not abstained else 0.0
        result.missed = [raw for raw, ok in zip(item.evidence, inside) if not ok or abstained]
    return result


def evaluate_answers(service: AnswerService, gold: Iterable) -> list[AnswerResult]:
    """Ask every gold question through the answer service (extractive) and judge the replies."""
    import time

    results = []
    for item in gold:
        service.retriever.clear_cache()
        started = time.perf_counter()
        reply = service.ask(item.question)
        results.append(judge(item, reply, time.perf_counter() - started))
    return results


def question_values(results: list[AnswerResult]) -> dict[str, list[float]]:
    """Per-question values whose means are the answer figures (and whose spread gives their intervals).

    ``answer_hit``, ``answer_coverage``, ``false_not_found`` and ``mean_length`` take one value per
    answerable question, ``list_coverage`` per list question, ``abstention`` per unanswerable one.
    """
    answerable = [r for r in results if r.answerable]
    return {
        "answer_hit": [float(r.hit) for r in answerable],
        "answer_coverage": [r.coverage for r in answerable],
        "list_coverage": [r.coverage for r in answerable if r.type == "list"],
        "false_not_found": [float(r.abstained) for r in answerable],
        "mean_length": [float(r.length) for r in answerable],
        "abstention": [float(r.abstained) for r in results if not r.answerable],
    }


def summarise_answers(results: list[AnswerResult]) -> dict[str, float]:
    """Mean answer metrics: answerable questions (hit, coverage, exactness, length, false 未找到), and abstention."""
    values = question_values(results)
    figures: dict[str, float] = {"questions": len(values["answer_hit"]), "unanswerable": len(values["abstention"])}
    if values["answer_hit"]:
        figures |= {name: sum(values[name]) / len(values[name]) if values[name] else 0.0
                    for name in ("answer_hit", "answer_coverage", "list_coverage", "false_not_found", "mean_length")}
    if results:
        figures["citation_exact"] = sum(r.exact for r in results) / len(results)
        figures["answer_p95_ms"] = percentile([r.seconds * 1000 for r in results], 95)
    if values["abstention"]:
        figures["abstention"] = sum(values["abstention"]) / len(values["abstention"])
    return {name: round(value, 4) for name, value in figures.items()}


def answers_by(results: list[AnswerResult], key: str) -> dict[str, dict[str, float]]:
    """Answer metrics per split or per question type."""
    groups: dict[str, list[AnswerResult]] = defaultdict(list)
    for result in results:
        groups[getattr(result, key)].append(result)
    return {name: summarise_answers(items) for name, items in sorted(groups.items())}


def worst_answers(results: list[AnswerResult], count: int = 12) -> list[AnswerResult]:
    """Answerable questions with the lowest coverage (false 未找到 first), then unanswerable ones answered anyway."""
    answerable = sorted((r for r in results if r.answerable), key=lambda r: (not r.abstained, r.coverage, -r.length))
    wrong = [r for r in results if not r.answerable and not r.abstained]
    return [r for r in answerable if r.coverage < 1][:count] + wrong[:count]
