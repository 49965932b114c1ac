"""Chinese tokenization for BM25: jieba words, a domain dictionary, stopwords.

Modes (chosen by eval figures, see docs/quality.md):

* ``words`` – ``jieba.cut`` (precise mode) with the domain dictionary;
* ``search`` – ``jieba.cut_for_search``, which adds sub-words (办公用房 also
  gives 办公/用房/公用, the last one spurious);
* either followed by ``+bigrams``: character bigrams of every Chinese token
  longer than two characters are added, so that 社区工作者 still meets 社区工作.

Tokens are NFKC-folded and lower-cased; punctuation, whitespace and stopwords
are dropped. The domain dictionary (``resources/domain_terms.txt``) keeps terms
such as 三社联动 and 双四百 whole; the stopword list is
``resources/stopwords.txt``. Both are plain text files meant for review.

Example::

    >>> tokenize = Tokenizer("words")
    >>> tokenize("三社联动机制仍需完善")
    ['三社联动', '机制', '仍', '需', '完善']
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba

from core.errors import ConfigError
from core.settings import TOKENIZER_MODES
from index.text.normalise import is_debris
from index.text.segmenter import new_jieba

RESOURCES = Path(__file__).resolve().parent / "resources"
DOMAIN_TERMS = RESOURCES / "domain_terms.txt"
STOPWORDS = RESOURCES / "stopwords.txt"
MODES = TOKENIZER_MODES
TAGGED_TEXTS = 64
"""How many recent texts' part-of-speech tags a tokenizer keeps (a question is tagged in several places)."""

jieba.setLogLevel(logging.WARNING)


def read_word_list(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a word list, first field only."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


def fold(text: str) -> str:
    """``text`` as the tokenizer reads it: NFKC (full-width ＡＢＣ１２ as ABC12), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


class Tokenizer:
    """Callable text → token list used for both documents and queries."""

    def __init__(
        self,
        mode: str = "words",
        domain_terms: Path = DOMAIN_TERMS,
        stopwords: Path = STOPWORDS,
    ) -> None:
        if mode not in MODES:
            raise ConfigError(f"未知的分词方式 {mode!r}，可选：{', '.join(MODES)}")
        self.mode = mode
        self._search = mode.startswith("search")
        self._bigrams = mode.endswith("+bigrams")
        self._jieba = new_jieba()
        self._jieba.initialize()
        self._lock = threading.Lock()
        for term in read_word_list(domain_terms):
            self._jieba.add_word(term, freq=2000)
        self.stopwords = frozenset(read_word_list(stopwords))
        self._tagger = None  # jieba.posseg takes a second to import: made on first use (answers, not search)
        # An answer tags its question in several places (the service's comparison check, the evidence, a list's
        # item, a second composition over more passages): the last few texts' tags are kept, not cut again.
        self._tagged = lru_cache(maxsize=TAGGED_TEXTS)(self._tag_text)

    def pieces(self, text: str) -> list[str]:
        """``text`` (folded) cut as this mode cuts it, every piece kept: stopwords, punctuation, one character.

        >>> Tokenizer("words").pieces("村部里设了哪些室")
        ['村', '部里', '设', '了', '哪些', '室']
        """
        text = fold(text)
        with self._lock:  # jieba's tokenizer is not safe to share across threads
            return list(self._jieba.cut_for_search(text) if self._search else self._jieba.cut(text))

    def words(self, text: str) -> list[str]:
        """Word tokens of ``text`` (no added bigrams), stopwords and punctuation removed."""
        return [t for t in (p.strip() for p in self.pieces(text)) if t and not is_debris(t) and t not in self.stopwords]

    def tagged_words(self, text: str) -> list[tuple[str, str]]:
        """``(word, part-of-speech flag)`` pairs of :meth:`words` (jieba's flags: ``n`` nouns, ``ns`` places …)."""
        pairs = self._tag(text, guess_new_words=True)
        return [(w, flag) for w, flag in pairs if w and not is_debris(w) and w not in self.stopwords]

    def dictionary_tags(self, text: str) -> list[tuple[str, str]]:
        """``(word, flag)`` pairs of ``text`` cut into dictionary words only, stopwords kept.

        jieba's HMM, which guesses words it does not know, is not asked: "或奖" → (或, ``c``), (奖, ``n``).
        """
        return [(w, flag) for w, flag in self._tag(text, guess_new_words=False) if w]

    def _tag(self, text: str, guess_new_words: bool) -> list[tuple[str, str]]:
        return list(self._tagged(fold(text), guess_new_words))

    def _tag_text(self, text: str, guess_new_words: bool) -> tuple[tuple[str, str], ...]:
        with self._lock:
            if self._tagger is None:
                import jieba.posseg

                self._tagger = jieba.posseg.POSTokenizer(self._jieba)
            return tuple((p.word.strip(), p.flag) for p in self._tagger.cut(text, HMM=guess_new_words))

    def knows(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (jieba's or the domain terms), not a word jieba's HMM guessed."""
        return bool(self._jieba.FREQ.get(fold(word)))

    def __call__(self, text: str) -> list[str]:
        """Tokens of ``text``, in order: its words, then (in bigram modes) their bigrams."""
        tokens = self.words(text)
        if self._bigrams:
            tokens += [t[i : i + 2] for t in tokens if len(t) > 2 for i in range(len(t) - 1)]
        return tokens
