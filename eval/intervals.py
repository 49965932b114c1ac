"""How sure a figure is: bootstrap confidence intervals for a mean over questions, and for a paired difference.

The gold set is small (42 answerable holdout questions, 14 of them list questions), so a
figure such as holdout answer hit 0.881 means "37 of 42"; one question more or less moves it
by 0.024. The intervals say how far the figure could move with other questions of the same
kind, and :func:`paired_difference` says whether a change measured on the same questions
(``eval/compare.py``) is more than the luck of which questions changed.

Both use :func:`scipy.stats.bootstrap` (percentile method: it stays defined for the 0/1
values of answer hit and for samples where every value is the same) with a fixed seed, so a
report is the same on every run.

Example:

    >>> interval = mean_interval([1.0] * 28 + [0.0] * 3)
    >>> round(interval.mean, 3), interval.low < interval.mean < interval.high <= 1.0
    (0.903, True)
    >>> paired_difference([0.5, 1.0, 0.0], [0.5, 1.0, 0.0])
    Interval(mean=0.0, low=0.0, high=0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import bootstrap

CONFIDENCE = 0.95
RESAMPLES = 5000
SEED = 12


@dataclass(frozen=True)
class Interval:
    """A mean and its confidence interval."""

    mean: float
    low: float
    high: float

    def text(self, digits: int = 3) -> str:
        """"0.903（0.806–1.000）": the mean, then the interval.

        Each figure is first rounded to four places, as the report's other tables are, so the
        same mean reads the same in both.
        """
        low, mean, high = (round(value, 4) for value in (self.low, self.mean, self.high))
        return f"{mean:.{digits}f}（{low:.{digits}f}–{high:.{digits}f}）"


def mean_interval(values: Sequence[float], confidence: float = CONFIDENCE, resamples: int = RESAMPLES,
                  seed: int = SEED) -> Interval:
    """The mean of ``values`` with its bootstrap interval (percentile method); NaNs for no values."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"))
    mean = float(data.mean())
    if data.size == 1 or np.all(data == data[0]):  # nothing to resample: every draw has the same mean
        return Interval(mean, mean, mean)
    result = bootstrap((data,), np.mean, confidence_level=confidence, n_resamples=resamples,
                       method="percentile", rng=np.random.default_rng(seed))
    low, high = result.confidence_interval
    return Interval(mean, float(low), float(high))


def paired_difference(before: Sequence[float], after: Sequence[float], confidence: float = CONFIDENCE,
                      resamples: int = RESAMPLES, seed: int = SEED) -> Interval:
    """Mean of ``after − before`` over the same questions, with its bootstrap interval.

    An interval that holds 0 means the change may be the luck of which questions moved.
    """
    if len(before) != len(after):
        raise ValueError(f"paired values differ in number: {len(before)} vs {len(after)}")
    return mean_interval(np.asarray(after, dtype=float) - np.asarray(before, dtype=float), confidence,
                         resamples, seed)
