"""Reading a question: what it asks for and which of its words name what the reports must hold.

* :mod:`.kinds` — its kind (list, quantity, problem, measure, reason, general) and the section role that
  answers it first;
* :mod:`.words` — its content words, without the words that only phrase it, as the reports cut them;
* :mod:`.compounds` — the words jieba cut apart, put back together (社工站, 群租房, 居民自治金);
* :mod:`.quantity` — what a quantity question counts and the unit of its answer (多少钱 → 元);
* :mod:`.names` — the places and communities it names, which narrow the answer to their reports.
"""
