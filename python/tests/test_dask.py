"""python/tests/test_dask.py — decorum.dask.score on a LocalCluster of two worker processes
equals the one-process run byte for byte: over log files, over a pandas DataFrame split into
partitions and over a dask DataFrame; and the per-process rulebook cache."""
import pandas as pd
import pytest

import decorum
import decorum.dask as ddask
from conftest import jsonl_without

distributed = pytest.importorskip("distributed")
RULES = "rules/property-customer-service.yaml"
FILES = ["examples/nov-2026.jsonl", "examples/nov-2026-front-desk.csv"]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def test_files_on_cluster(client, rules):
    assert ddask.score(RULES, FILES, client, findings=True).json == rules.score(FILES, findings=True).json


def test_frames_on_cluster(client, rules, tmp_path):
    df = pd.DataFrame(jsonl_without("examples/nov-2026.jsonl", {265}, tmp_path / "log.jsonl"))
    one = rules.score(df)
    assert ddask.score(RULES, df, client, partitions=3).json == one.json
    dd = pytest.importorskip("dask.dataframe")
    assert ddask.score(RULES, dd.from_pandas(df, npartitions=4), client).json == one.json


def test_without_client_uses_local_scheduler(rules):
    # The module-scoped client may still be the default one; either way the result is equal.
    assert ddask.score(RULES, "examples/nov-2026.jsonl").json == rules.score("examples/nov-2026.jsonl").json


def test_rules_cached_per_process():
    assert ddask.rules_for(RULES) is ddask.rules_for(RULES)
    with pytest.raises(decorum.RulebookError):
        ddask.score("examples/README.md", FILES)
