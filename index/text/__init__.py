"""Text processing: report files → clean paragraphs → reports and sections → chunks with provenance.

load → clean (with headings) → split → chunk → dedup, run in order by :mod:`index.text.pipeline`;
the typed records (:mod:`index.text.records`) and the general helpers (:mod:`index.text.sentences`,
:mod:`index.text.normalise`) are what later layers import from here.
"""
