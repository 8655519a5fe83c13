"""decorum/_frame.py — entry point: frame_columns. Turns a pandas DataFrame into the typed
column arrays the C++ core converts row by row without touching Python objects where it can:
int, float, bool and datetime columns go as numpy arrays; everything else (str, Decimal,
nullable dtypes, categories) as object arrays with every missing value made None."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

_NS_PER_MINUTE = 60_000_000_000


def frame_columns(df: Any) -> Tuple[List[str], str, List[Any], List[Optional[Any]]]:
    """(names, kinds, arrays, offsets) for Scorer.add_columns; see python/src/convert.hpp."""
    import numpy as np
    import pandas as pd

    names: List[str] = []
    kinds = ""
    arrays: List[Any] = []
    offsets: List[Optional[Any]] = []
    for name in df.columns:
        if not isinstance(name, str):
            raise TypeError(f"decorum: DataFrame column names must be field names (str), not {name!r}")
        s = df[name]
        if isinstance(s, pd.DataFrame):
            raise ValueError(f"decorum: the DataFrame has more than one column named {name!r}")
        dt = s.dtype
        off = None
        if isinstance(dt, pd.DatetimeTZDtype):
            # The written wall-clock time and its offset, as a log line with "+08:00" carries them.
            local = s.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view("int64")
            utc = s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view("int64")
            missing = local == np.iinfo(np.int64).min
            diff = np.where(missing, 0, local) - np.where(missing, 0, utc)
            kind, arr, off = "M", local, np.ascontiguousarray(diff // _NS_PER_MINUTE, dtype=np.int32)
        elif isinstance(dt, np.dtype) and dt.kind == "M":
            kind, arr = "M", s.to_numpy(dtype="datetime64[ns]").view("int64")
        elif isinstance(dt, np.dtype) and dt.kind == "m":
            kind, arr = "f", s.dt.total_seconds().to_numpy(dtype=np.float64)  # durations in seconds
        elif isinstance(dt, np.dtype) and dt.kind in "iu":
            kind, arr = "i", s.to_numpy(dtype=np.int64)
        elif isinstance(dt, np.dtype) and dt.kind == "f":
            kind, arr = "f", s.to_numpy(dtype=np.float64)
        elif isinstance(dt, np.dtype) and dt.kind == "b":
            kind, arr = "b", s.to_numpy(dtype=np.bool_)
        elif isinstance(dt, np.dtype) and dt.kind == "O":
            # Plain object columns as they are, without a copy: the core reads None, NaN,
            # NaT and NA (and numpy's NaT scalars, Decimal NaN) as absent itself.
            kind, arr = "O", s.to_numpy()
        else:
            # Pandas' extension dtypes (Int64, boolean, string, category):
            # Python values, with NaN, None, NaT and NA all made None (absent).
            kind, arr = "O", s.to_numpy(dtype=object, na_value=None)
        names.append(name)
        kinds += kind
        arrays.append(np.ascontiguousarray(arr))
        offsets.append(off)
    return names, kinds, arrays, offsets


def is_dataframe(x: Any) -> bool:
    """True for a pandas DataFrame, without importing pandas when the caller never did."""
    import sys

    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(x, pd.DataFrame)
