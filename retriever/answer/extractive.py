"""Compose an extractive, cited answer from search hits (no language model needed).

1. The question's kind (:mod:`retriever.answer.question`) and content words are read (a word
   jieba cut across a word of the reports, 村 / 部里 of 村部里, is re-cut the reports' way).
2. Every sentence of the hits is scored as evidence (:mod:`retriever.answer.evidence`):
   semantic similarity from the stored sentence vectors, IDF-weighted content words
   (a place the question names counts for every sentence of the report about it),
   the passage's rank, its section's role, and whether it holds a number (with the
   unit the question asks for: 元 for 多少钱); in a list question a number or a “quoted”
   name marks an item.
3. "未找到" when the question's relevance falls below ``found_threshold``: the best sentence
   cosine among the top passages, plus ``found_coverage_weight`` × the IDF-weighted share of
   the content words the best top passage holds, minus ``found_absent_weight`` × the share of
   its content nouns that no report mentions (a subject the reports never cover). The answer
   then names the words the reports do not hold, and lists the nearest passages as 可能相关,
   never as an answer.
4. Otherwise points are picked greedily, skipping repeats (a sentence that says a chosen
   point and more takes that point's place): for list questions first the
   best sentence of every report that holds evidence, then the strongest remaining (with a wider
   score gap than other kinds: each report words its items its own way, and a sentence of another
   report is a repeat only when it says almost the same: two reports' practices are two items);
   for quantity questions sentences with a number first; for problem / measure /
   reason questions sentences of sections with that role first. A problem or measure question, or one asking for a
   counted set of items (分哪几步), whose point is an item of an enumeration the question's words introduce
   (:mod:`retriever.answer.enumeration`) quotes every item.
5. A point is cut from its passage (:mod:`retriever.answer.points`): it keeps the short sentence that
   opens its line ("一是认识不到位、不深刻。", the report's own label for it); a point that is only such a
   label ("二是大力推进红色物业工作。", its line going on) takes the sentence after it, where the report says
   what the label names, and the label of an item just before a point ("二是抓好典型培育。") opens it; a
   numbered line of its own is a heading, never a point. Chosen sentences that follow each other on a line
   are joined into one point (two paragraphs, or two items, stay two points);
   a lead line built from what was extracted ("N 篇报告中找到 M 条…"), then the points grouped by
   report, each ending with the ``[n]`` of its passage, each report's best point first and the rest in reading
   order; within a report a quantity answer
   shows the amounts in the asked unit first (1500元/月 before 228名 for 多少钱).

Every quoted sentence is an exact slice of its passage (offsets kept), so the
highlight and the copied text are exact.

Usage::

    composer = ExtractiveComposer(retriever.stored, retriever.tokenizer, Settings(), retriever.first_sentence)
    answer = composer.compose("哪些社区办公用房不达标", retriever.query_vector(question), hits)
    answer.found, answer.text.splitlines()[0]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property

import numpy as np

from core.settings import Settings
from index.store import StoredIndex
from index.text.dedup import copied_reports
from index.text.headings import is_standalone_heading, is_title_like
from index.text.normalise import normalise_for_match
from index.tokenize import Tokenizer
from retriever.answer.citation import Answer, Citation
from retriever.answer.enumeration import enumerations
from retriever.answer.evidence import NUMBER, Evidence, Sentence, TermStats, named_by_report, weighted_share
from retriever.answer.places import ReportPlaces
from retriever.answer.points import (
    ends_line,
    join_adjacent,
    opens_line,
    same_line_gap,
    with_continuations,
    with_item_labels,
    with_leads,
    with_sentence_rest,
    with_statements,
    without_overlaps,
)
from retriever.answer.question.compounds import facility_compounds, prefixed_compounds, single_character_words
from retriever.answer.question.kinds import (
    asked_set,
    asks_one_list,
    list_target,
    names_an_item,
    question_kind,
    wanted_role,
)
from retriever.answer.question.names import (
    PLACE_FLAGS,
    community_names,
    place_bases,
    place_level_to_corpus,
    place_words,
)
from retriever.answer.question.quantity import PAY, asked_unit, asks_money, counted_words, paid_posts
from retriever.answer.question.words import ASKING_PART, content_words, phrasing_words, recut_to_corpus, subject_nouns
from retriever.answer.roles import section_role
from retriever.answer.spelling import Speller
from retriever.hits import Hit
from retriever.query import quoted_terms

FOREIGN_SENTENCE = re.compile(r"(?!.*[\u3400-\u9fff]).*[A-Za-z]+\W+[A-Za-z]+.*", re.S)
"""A question of two or more Latin-letter words and no Chinese character ("What are the problems…?")."""
ROLES_ASKED = frozenset({"problem", "measure"})
"""The roles whose items a question asks for: the problems, or the measures (experiences, suggestions)."""
QUOTED = re.compile("“[^”]+”")
"""A name the report puts in quotation marks (“一站式”服务, “三社联动”): a concrete item, not a general remark."""


def numbered(hits: list[Hit]) -> list[Citation]:
    """A citation per hit, numbered from 1 in search order (rendering renumbers the ones it cites)."""
    return [Citation(i + 1, hit) for i, hit in enumerate(hits)]


FIGURE = re.compile(r"\d{2,}")
"""A figure of two digits or more (2005年, 144平方米): a short sentence holding one states it ("第二步到2005年。"),
however like a heading it opens; a label's number has one digit (2、, 第三)."""


def states_amount(points: list[str], unit: re.Pattern, posts: list[str], things: list[str]) -> bool:
    """Whether one of the answer's ``points`` (normalised for matching) states an amount in ``unit`` of every post
    whose pay is asked (网格长 of 网格长补贴多少钱) and, when the question asks the cost of a thing (村部 of
    村部总共花了多少钱), of one of ``things``: another post's 补贴 or another village's 元 is no answer.

    >>> money = re.compile(r"\\d+元")
    >>> states_amount(["门栋长50元/月"], money, ["门栋长"], []), states_amount(["组长200元/月"], money, ["网格长"], [])
    (True, False)
    """
    posts = [normalise_for_match(w).lower() for w in posts]
    things = [normalise_for_match(w).lower() for w in things]
    return any(unit.search(point) and all(post in point for post in posts)
               and (not things or any(thing in point for thing in things)) for point in points)


def is_heading(sentence: str, whole_line: bool = False) -> bool:
    """A heading quoted as a sentence: it names a topic, it states nothing.

    A short one ("3.网格化管理方面。"), or a numbered line of its own without a sentence end
    ("二、农村基层法治化面临的困境及原因分析").
    """
    bare = sentence.rstrip("。；;：:")
    if whole_line and bare == sentence.rstrip() and is_standalone_heading(bare):
        return True
    return len(bare) < 12 and (is_standalone_heading(bare) or is_title_like(bare))


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _share(part: set[str], whole: set[str]) -> float:
    """The share of ``part``'s character pairs that ``whole`` holds too."""
    return len(part & whole) / max(1, len(part))


WEAK_POINTS = "以下内容与问题关联较弱，仅供参考："
"""The line before the points that score more than ``weak_point_gap`` below the best one."""


def grouped_by_report(kind: str, points: list[Sentence]) -> dict[tuple[str, int], list[Sentence]]:
    """``points`` grouped by report, the report of the best point first; in each, its best point first (what
    answers), then the others in reading order (the report's context), and for a quantity question the points
    stating the asked unit, then a number, first (600元 for 多少钱)."""
    by_report: dict[tuple[str, int], list[Sentence]] = {}
    for sentence in sorted(points, key=lambda x: -x.score):
        by_report.setdefault(sentence.report, []).append(sentence)
    for report, (best, *rest) in by_report.items():
        ordered = [best, *sorted(rest, key=lambda x: (x.hit, x.start))]
        if kind == "quantity":
            ordered = sorted(ordered, key=lambda x: (not x.has_unit, not x.has_number))
        by_report[report] = ordered
    return by_report


class ExtractiveComposer:
    """Answers from the sentences of the hits, using the sentence vectors stored with the index."""

    def __init__(self, stored: StoredIndex, tokenizer: Tokenizer, settings: Settings,
                 first_sentence: np.ndarray) -> None:
        self.stored = stored
        self.tokenizer = tokenizer
        self.settings = settings
        self.stats = TermStats(stored)
        self.first_sentence = first_sentence
        self.copy_of = copied_reports(stored.chunks, settings.report_copy_share)  # copy → the report it repeats
        self.place_bases = place_bases(place for chunk in stored.chunks for place in chunk.places)
        self.report_places = ReportPlaces(stored.chunks, self.stats.texts, self.copy_of,
                                          settings.place_max_reports)

    @cached_property
    def speller(self) -> Speller:
        """Homophone typos against the reports' words (built at the first question that needs it)."""
        vocab, idf = self.stored.bm25.vocab, self.stored.bm25.idf
        return Speller(vocab, self.tokenizer, commonness=lambda word: -float(idf[vocab[word]]))

    def typo_correction(self, question: str) -> str | None:
        """``question`` with its homophone typos corrected (工做者 → 工作者), or None if it has none."""
        absent = self.stats.absent(content_words(question, self.tokenizer))
        return self.speller.correct(question, absent) if absent else None  # most questions: no speller needed

    def compared_places(self, question: str, tagged: list[tuple[str, str]] | None = None) -> list[str]:
        """The places a question names, when it names two or more that the reports write (赣州、九江、淮北三地…有什么
        不一样): each is a side of a comparison, and the answer owes each a point (:meth:`with_each_place`);
        none when ``place_passages`` is 0. ``tagged``: the question's tagged words, when already at hand."""
        if not self.settings.place_passages:
            return []
        tagged = self.tokenizer.tagged_words(question) if tagged is None else tagged
        named = place_level_to_corpus(place_words(tagged, self.place_bases, flags=PLACE_FLAGS), tagged,
                                      self.stats.holds)
        places = [place for place in dict.fromkeys(named) if self.stats.holds(place)]
        return places if len(places) >= 2 else []

    def with_each_place(self, chosen: list[Sentence], pool: list[Sentence], places: list[str], hits: list[Hit],
                        evidence: Evidence) -> tuple[list[Sentence], list[str]]:
        """``chosen`` and, for each compared place no chosen sentence speaks of, the best sentence of ``pool`` that
        does: a comparison of three places answered from the two that scored best leaves the third side unsaid;
        and the places no sentence of ``pool`` speaks of (the lead says so: 临沂's report says nothing of its
        办公用房).
        A sentence speaks of a place it names, that its section's heading names ("（一）江西赣州以…为切入点。"),
        or that its report is about when the report is about no other compared place (临沂's report writes 我市)."""
        def speaks_of(x: Sentence, place: str) -> bool:
            said = evidence.said.get(x.hit, set())
            return (place in x.text or any(place in heading for heading in hits[x.hit].section_path)
                    or (place in said and not any(other in said for other in places if other != place)))

        out, unsaid = list(chosen), []
        for place in places:
            if any(speaks_of(x, place) for x in out):
                continue
            speaking = [x for x in pool if speaks_of(x, place)]
            if speaking:
                out.append(max(speaking, key=lambda x: x.score))
            else:
                unsaid.append(place)
        return out, unsaid

    def evidence(self, question: str, question_vector: np.ndarray, hits: list[Hit]) -> Evidence:
        """Score every sentence of ``hits`` for ``question``."""
        s = self.settings
        tagged = self.tokenizer.tagged_words(question)  # once: phrasing and place words now, nouns for 未找到
        words = recut_to_corpus(question, content_words(question, self.tokenizer), self.tokenizer,
                                self.stats.holds, self.stored.bm25.vocab)
        words = place_level_to_corpus(words, tagged, self.stats.holds)
        words, facilities = facility_compounds(question, words, self.tokenizer, self.stats.holds)
        words, prefixed = prefixed_compounds(question, words, tagged, self.stats.holds)
        words, joined = single_character_words(question, words, self.tokenizer, self.stats.holds)
        weights = {w: self.stats.idf(w) for w in words}
        # not what the reports lack: kept off the gate
        phrasing = phrasing_words(words, tagged, self.stats.holds, question)
        gate_words = [w for w in words if w not in phrasing]
        gate_weights = {w: weights[w] for w in gate_words}
        kind, role_wanted = question_kind(question), wanted_role(question)
        target = list_target(question, self.tokenizer) if kind == "list" else None
        unit = asked_unit(question) if kind in ("quantity", "list") else None
        places = place_level_to_corpus(place_words(tagged, self.place_bases), tagged, self.stats.holds)
        named = place_words(tagged, self.place_bases, flags=PLACE_FLAGS)  # places only, not bodies or names
        communities = [w for w in community_names(question, words, self.stats.holds, tagged) if w not in named]
        scope = self.report_places.narrowing(place_level_to_corpus(named, tagged, self.stats.holds), communities
                                             ) if (named or communities) and s.place_max_reports else None
        terms = quoted_terms(question)
        sentences: list[Sentence] = []
        said_by_hit: dict[int, set[str]] = {}
        best_coverage = 0.0
        for position, hit in enumerate(hits):
            passage = normalise_for_match(hit.text).lower()
            passage_share = weighted_share(words, weights, passage)[0]
            if position < s.relevance_passages:
                gate_share = weighted_share(gate_words, gate_weights, passage)[0] if phrasing else passage_share
                best_coverage = max(best_coverage, gate_share)
            rows = range(self.first_sentence[hit.index], self.first_sentence[hit.index + 1])
            if not rows:
                continue
            semantic = self.stored.sentence_vectors[rows.start : rows.stop] @ question_vector
            role = section_role(hit.section_path)
            said = named_by_report(places, self.stored.chunks[hit.index].places) if places else set()
            said_by_hit[position] = said
            decay = 1.0 / (1.0 + s.rank_decay * position)
            report = self.copy_of.get((hit.file, hit.report), (hit.file, hit.report))  # a copy is its original
            quoted = bool(terms) and all(term in passage for term in terms)
            lead, previous_end = -1, 0  # lead: start of the too-short sentences that open this line
            for row, similarity in zip(rows, semantic):
                _, start, end = (int(v) for v in self.stored.sentence_spans[row])
                text = hit.text[start:end]
                if lead >= 0 and not same_line_gap(hit.text[previous_end:start]):
                    lead = -1
                previous_end = end
                opening = opens_line(hit.text, start)
                if len(text) < s.min_sentence_chars or (is_heading(text, opening and ends_line(hit.text, end))
                                                        and not FIGURE.search(text)):
                    if lead < 0 and opening:  # "一是认识不到位、不深刻。" labels the sentence after it
                        lead = start
                    continue
                previous_lead, lead = lead, -1
                lexical, matched = weighted_share(words, weights, normalise_for_match(text).lower(), partial=True,
                                                  said=said)
                has_number = bool(NUMBER.search(text))
                score = (s.lexical_weight * lexical + s.semantic_weight * (float(similarity) - s.semantic_floor)
                         + s.passage_weight * decay + s.passage_lexical_weight * passage_share)
                if role_wanted and role == role_wanted:
                    score += s.role_weight
                if kind == "quantity" and has_number:
                    score += s.number_weight
                has_unit = bool(unit and unit.search(text))
                if has_unit:
                    score += s.unit_weight
                names_item = bool(target) and passage_share >= s.list_min_lexical and names_an_item(text, target)
                if names_item:
                    score += s.list_item_weight
                if kind == "list" and (has_number or QUOTED.search(text)):
                    score += s.list_concrete_weight
                sentences.append(Sentence(position, start, end, text, float(similarity), lexical, matched,
                                          has_number, role, report, score, names_item, has_unit,
                                          previous_lead, bool(scope and scope.holds(report, hit.index)), quoted))
        best_semantic = max((x.semantic for x in sentences if x.hit < s.found_passages), default=0.0)
        absent = self.stats.absent(gate_words)
        nouns = subject_nouns(tagged) | facilities | prefixed | joined if absent else set()
        unquoted = [term for term in terms if not self.stats.holds(term)]
        asked = counted_words(question, words, tagged) if kind == "quantity" and s.counted_in_points else []
        counted = [w for w in asked if self.stats.holds(w)]
        posts = paid_posts(question, words, counted, tagged, self.stats.holds)
        return Evidence(sentences, absent, best_semantic, best_coverage, gate_weights,
                        [w for w in absent if w in nouns], unquoted, counted, said_by_hit,
                        [w for w in asked if w in absent], posts=posts,
                        compared=self.compared_places(question, tagged))

    def relevance(self, evidence: Evidence) -> float:
        """Best sentence cosine + found_coverage_weight·coverage − found_absent_weight·absent noun share."""
        s = self.settings
        return (evidence.best_semantic + s.found_coverage_weight * evidence.best_coverage
                - s.found_absent_weight * evidence.absent_share)

    def is_found(self, evidence: Evidence) -> bool:
        """Whether the reports answer the question: its relevance reaches ``found_threshold``, every term it
        quotes (“离任审计”) is written in the reports, and so is every word it asks the number of (联名 of
        多少选民联名: no number of what the reports never mention can be quoted)."""
        return (bool(evidence.sentences) and not evidence.unquoted and not evidence.uncounted
                and self.relevance(evidence) >= self.settings.found_threshold)

    def compose(self, question: str, question_vector: np.ndarray, hits: list[Hit]) -> Answer:
        """The extractive answer for ``question`` from its ranked ``hits``."""
        evidence = self.evidence(question, question_vector, hits)
        if not self.is_found(evidence):
            return self.not_found(question, evidence, numbered(hits))
        kind = question_kind(question)
        pool = [x for x in evidence.sentences if x.quoted] or evidence.sentences  # “流动票箱”: where it is written
        at_place = [x for x in pool if x.at_place]  # 临沂…: 临沂's report, if it speaks
        chosen = self.select(kind, at_place or pool)
        unsaid_places: list[str] = []
        if evidence.compared:
            chosen, unsaid_places = self.with_each_place(chosen, at_place or pool, evidence.compared, hits, evidence)
        role = wanted_role(question) or kind
        if self.settings.enumeration_intro_share and (role in ROLES_ASKED or asks_one_list(question)):
            chosen = self.with_enumerations(chosen, at_place or pool, hits, evidence, role, asked_set(question))
        answer = self.render(question, kind, chosen, numbered(hits), evidence, unsaid_places)
        said = normalise_for_match(answer.text.split("\n", 1)[-1]).lower()  # the points, with their labels
        pay = [PAY.search(w) for w in evidence.counted]
        # the pay of a post named (新村农民收入) is said as pay (人均纯收入); whose it is, the money check asks below
        stated = [m[0] if m and evidence.posts else w for w, m in zip(evidence.counted, pay)]
        if stated and not any(normalise_for_match(w).lower() in said for w in stated):
            return self.not_found(question, evidence, numbered(hits), uncounted=evidence.posts + evidence.counted)
        things = [w for w, m in zip(evidence.counted, pay) if not m]  # 村部 of 村部花了多少钱: the 元 is its cost
        points = [normalise_for_match(line).lower() for line in answer.text.split("\n") if line.startswith("- ")]
        if kind == "quantity" and asks_money(question) and not states_amount(points, asked_unit(question),
                                                                             evidence.posts, things):
            return self.not_found(question, evidence, numbered(hits),
                                  uncounted=evidence.posts + evidence.counted or ["金额"])
        return answer

    def with_enumerations(self, chosen: list[Sentence], pool: list[Sentence], hits: list[Hit],
                          evidence: Evidence, role: str, sets: Sequence[str] = ()) -> list[Sentence]:
        """``chosen`` and the first sentence of every item of an enumeration that one of them is in (also of the
        item whose later sentence was chosen: each item opens with its own label, （一）强化党建引领…), when
        what introduces the enumeration holds ``enumeration_intro_share`` of the question's words (and, for a
        problem or measure question, has that ``role``): "临沂社区建设
        存在的问题" quotes 二是起步晚，进度慢 with 一是 and 三是, "X示范区依法治村总结出了哪几条经验" (二)–(四)
        with (一), though these items do not repeat the question. An introduction that names a set the question
        asks for by name (``sets``: 建议 of 提的几点建议, under "四、几点建议") introduces it whatever else the
        question says. A list of more than ``enumeration_max_items`` is left as chosen (its items are many answers,
        not one)."""
        s = self.settings
        words = list(evidence.weights)
        out = list(chosen)
        for enumeration in enumerations(hits):
            items = enumeration.items
            if len(items) > s.enumeration_max_items or not any(
                    item.overlaps(x.hit, x.start, x.end) for item in items for x in chosen):
                continue
            if role in ROLES_ASKED and section_role([*hits[items[0].hit].section_path, enumeration.intro]) != role:
                continue  # measures under a problem question, or problems under a measure question
            intro = normalise_for_match(enumeration.intro).lower()
            said = evidence.said.get(items[0].hit, set())
            if (not any(name in intro for name in sets) and weighted_share(
                    words, evidence.weights, intro, partial=True, said=said)[0] < s.enumeration_intro_share):
                continue
            out = [replace(x, enumerated=True) if any(item.overlaps(x.hit, x.start, x.end) for item in items) else x
                   for x in out]  # the chosen item is one of the list's items now
            for item in items:
                opening = [x for x in pool if item.overlaps(x.hit, x.start, x.end)]
                if opening:
                    first = min(opening, key=lambda x: x.start)
                    if not any(x.hit == first.hit and x.start <= first.start < x.end for x in out):
                        out.append(replace(first, enumerated=True))
        return out

    def select(self, kind: str, sentences: list[Sentence]) -> list[Sentence]:
        """Points for the answer: best first, no repeats, one per report first for list questions."""
        s = self.settings
        ranked = sorted(sentences, key=lambda x: -x.score)
        if not ranked:
            return []
        limit = s.list_max_points if kind == "list" else s.max_points
        floor = ranked[0].score - (s.list_point_score_gap if kind == "list" else s.point_score_gap)
        chosen: list[Sentence] = []
        grams: list[set[str]] = []

        per_passage: dict[int, int] = {}

        def repeat_share(sentence: Sentence, point: Sentence) -> float:
            """How much of one must the other say to repeat it: in a list, two reports' items are two items."""
            across = kind == "list" and sentence.report != point.report
            return s.list_report_redundancy if across else s.redundancy

        def take(sentence: Sentence) -> bool:
            """Add ``sentence`` unless it repeats a chosen point; if it says what a chosen point says, and
            more ("把社区干部的教育培训列入党校干部教育的整体规划" after "加强对社区干部的教育培训。"),
            it takes that point's place instead of being dropped. A sentence that holds a word of the question
            the point lacks repeats nothing: 街道社区和镇级社区的书记主任补贴差多少 asks both "街道社区…补贴为1500元/月"
            and "镇级社区…补贴为1000元/月", which differ in little but the word asked."""
            own = _bigrams(sentence.text)
            if per_passage.get(sentence.hit, 0) >= s.max_per_passage:
                return False
            if any(_share(own, other) > repeat_share(sentence, point) and not set(sentence.matched) - set(point.matched)
                   for other, point in zip(grams, chosen)):
                return False
            per_passage[sentence.hit] = per_passage.get(sentence.hit, 0) + 1
            covered = [i for i, (other, point) in enumerate(zip(grams, chosen))
                       if _share(other, own) > repeat_share(sentence, point)
                       and not set(point.matched) - set(sentence.matched)]
            for i in reversed(covered[1:]):  # it says two chosen points and more: one place is enough
                per_passage[chosen[i].hit] -= 1
                del chosen[i], grams[i]
            if covered:
                per_passage[chosen[covered[0]].hit] -= 1
                chosen[covered[0]], grams[covered[0]] = sentence, own
                return True
            chosen.append(sentence)
            grams.append(own)
            return True

        if kind == "list":  # one point for every report that holds an item, strongest report first
            reports_seen: set[tuple[str, int]] = set()
            for sentence in ranked:
                if sentence.report in reports_seen or (sentence.lexical < s.list_min_lexical
                                                       and not sentence.names_item):
                    continue
                if take(sentence):
                    reports_seen.add(sentence.report)
                if len(chosen) == limit:
                    return chosen
        for sentence in ranked:
            if len(chosen) == limit or sentence.score < floor:
                break
            if sentence not in chosen:
                take(sentence)
        return chosen

    def sentence_bounds(self, hit: Hit) -> list[tuple[int, int]]:
        """Where each stored sentence of ``hit``'s passage starts and ends (offsets into its text)."""
        rows = slice(self.first_sentence[hit.index], self.first_sentence[hit.index + 1])
        return [(int(start), int(end)) for start, end in self.stored.sentence_spans[rows, 1:3]]

    def render(self, question: str, kind: str, chosen: list[Sentence], citations: list[Citation],
               evidence: Evidence, unsaid_places: Sequence[str] = ()) -> Answer:
        """Lead line, then the points grouped by report (each report's best point first, the others in reading
        order), numbered by the passages actually cited. ``unsaid_places``: compared places (临沂和攀枝花…) no
        sentence of the hits speaks of; the lead says so."""
        passages = [citation.hit.text for citation in citations]
        bounds = [self.sentence_bounds(citation.hit) for citation in citations]
        chosen = with_leads(chosen, passages)
        if self.settings.item_labels:
            chosen = with_item_labels(chosen, passages, bounds, self.settings.label_point_chars)
        chosen = with_statements(chosen, passages, bounds, self.settings.label_point_chars)
        if self.settings.sentence_rest_chars:
            chosen = with_sentence_rest(chosen, passages, bounds, self.settings.sentence_rest_chars)
        if self.settings.continuation_chars:
            chosen = with_continuations(chosen, passages, bounds, self.settings.continuation_chars)
        chosen = without_overlaps(chosen, passages)
        chosen = join_adjacent(chosen, passages)
        for sentence in chosen:
            citations[sentence.hit].spans.append((sentence.start, sentence.end))
        gap = self.settings.weak_point_gap
        line = max(x.score for x in chosen) - gap if gap and kind != "list" else float("-inf")
        strong_groups = grouped_by_report(kind, [x for x in chosen if x.score >= line or x.enumerated])
        weak_groups = grouped_by_report(kind, [x for x in chosen if x.score < line and not x.enumerated])
        # Passages are numbered in the order the answer first cites them, so a draft reads [1], [2], [3] …
        shown = [*strong_groups.values(), *weak_groups.values()]
        used = list(dict.fromkeys(x.hit for points in shown for x in points))
        kept = [citations[i] for i in used]
        for number, citation in enumerate(kept, start=1):
            citation.n = number
            citation.spans.sort()
        # A quoted term is named as the question writes it (“三改三建”), not as the fragments jieba cut it into (改三建)
        terms = [t for t in quoted_terms(question) if any(t in normalise_for_match(x.text).lower() for x in chosen)]
        matched = terms + [w for w in evidence.weights
                           if any(w in x.matched for x in chosen) and not any(w in t for t in terms)]
        subject = f"关于“{'、'.join(matched)}”，" if matched else f"关于“{question}”，"
        unsaid = f"（报告中没有出现“{'、'.join(evidence.absent)}”，请核对以下内容是否切题）" if evidence.absent else ""
        if unsaid_places:
            unsaid += f"（没有找到关于“{'、'.join(unsaid_places)}”的相应内容）"
        title_of = {report: citations[points[0].hit].hit.report_title
                    for groups in (strong_groups, weak_groups) for report, points in groups.items()}
        lines = [f"{subject}在 {len(title_of)} 篇报告中找到 {len(chosen)} 条内容{unsaid}："]
        titles = list(title_of.values())  # one per report, though a report may have points on both sides
        for groups in (strong_groups, weak_groups):
            if groups is weak_groups and groups:
                lines.append(f"\n{WEAK_POINTS}")
            for points in groups.values():
                hit = citations[points[0].hit].hit
                same_title = titles.count(hit.report_title) > 1  # several reports of one file share a title
                label = f"（{hit.file_label()} {hit.report_name()}）" if same_title else ""
                # a copy is one report with its original, but an official copying a quote must find the title its
                # citation names: the copy's, when the quote's passage is the copy's (003 篇3 repeats 篇2)
                quoted_from = dict.fromkeys(citations[x.hit].hit.report_title for x in points)
                other = [title for title in quoted_from if title != hit.report_title]
                if other:
                    label += f"（部分引文出自内容重复的《{'》《'.join(other)}》）"
                lines.append(f"\n《{hit.report_title}》{label}")
                lines += [f"- {x.text} [{citations[x.hit].n}]" for x in points]
        return Answer("\n".join(lines), kept, True)

    def not_found(self, question: str, evidence: Evidence, citations: list[Citation],
                  uncounted: list[str] | None = None) -> Answer:
        """ "未找到" first, naming what the reports do not mention (or, ``uncounted``, what a quantity question
        counts that no point would state: 驻村补贴 when 沂堂's report names its 机关干部 but never their
        补贴); the nearest passages as 可能相关."""
        shown = citations[: self.settings.not_found_passages]
        missing = evidence.unquoted or [w for w in evidence.absent
                                        if w in evidence.absent_nouns or self.tokenizer.knows(w)] or evidence.absent
        present = [w for w in evidence.weights  # the subjects they hold, not how it asks (哪里 of 去哪里领)
                   if w not in evidence.absent and w not in (uncounted or ()) and not ASKING_PART.fullmatch(w)]
        if uncounted:
            first = f"报告中未找到“{'、'.join(uncounted)}”的具体数字"
            first += f"（报告提到了“{'、'.join(present)}”，但没有给出前者的数字）。" if present else "。"
        elif FOREIGN_SENTENCE.fullmatch(question):  # the reports are Chinese: its words are absent, the hint helps
            first = f"报告中未找到与“{question}”相关的内容：报告均为中文，请用中文提问，例如：社区办公用房有哪些问题。"
        elif missing:
            first = f"报告中未找到关于“{'、'.join(missing)}”的内容"
            first += f"（报告提到了“{'、'.join(present)}”，但没有涉及前者）。" if present else "。"
        else:
            first = f"报告中未找到与“{question}”直接相关的内容。"
        lines = [first]
        if shown:
            lines.append("以下段落可能相关，仅供参考：")
            lines += [f"[{c.n}] 可能相关：《{c.hit.report_title}》{c.hit.text[:60].replace(chr(10), ' ')}…"
                      for c in shown]
        return Answer("\n".join(lines), shown, False, uncounted=bool(uncounted))
