"""Sentences of the real passages: exact slices, and a question quoted inside “…” is part of its sentence."""

from __future__ import annotations

from index.text.sentences import passage_sentences, sentence_spans


def test_every_sentence_of_every_real_passage_is_a_stripped_slice_of_one_line(corpus_chunks):
    for chunk in (c for f in corpus_chunks.files for c in f.chunks):
        for start, end in passage_sentences(chunk.text):
            piece = chunk.text[start:end]
            assert piece == piece.strip() and piece and "\n" not in piece


def test_questions_inside_quotation_marks_stay_with_the_sentence_they_are_the_subject_of(corpus_chunks):
    """003 篇26: "“钱从哪里来？土地怎么出？群众如何安？”是新型农村社区建设的三大难题" was cut at each ？ into
    fragments too short to be points, and 南阳…三大难题是什么 was answered without the three problems."""
    sentences = [c.text[s:e] for f in corpus_chunks.files for c in f.chunks for s, e in passage_sentences(c.text)]
    assert "“钱从哪里来？土地怎么出？群众如何安？”是新型农村社区建设的三大难题。" in sentences
    assert "土地怎么出？" not in sentences and "是新型农村社区建设的三大难题。" not in sentences


def test_a_question_mark_outside_quotes_or_in_a_quote_left_open_still_ends_a_sentence():
    text = "怎么办？一是加强领导。他问：“钱从哪里来？"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["怎么办？", "一是加强领导。", "他问：“钱从哪里来？"]


def test_a_full_stop_between_two_digits_ends_no_sentence(corpus_chunks):
    """003 篇30 writes May 29th "5。29": review 11's point ended "…社区文化艺术节、5。" and the next began "29计生…"."""
    sentences = [c.text[s:e] for f in corpus_chunks.files for c in f.chunks for s, e in passage_sentences(c.text)]
    assert any("社区文化艺术节、5。29计生协会文艺汇演、父亲节" in x for x in sentences)
    assert not any(x.endswith("社区文化艺术节、5。") for x in sentences)
    text = "面积达到3。5万平方米。下一句。"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["面积达到3。5万平方米。", "下一句。"]
