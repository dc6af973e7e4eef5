"""`cadre dedup eval-file`, `run` and `unmerge` from the command line."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from cadre.people.services import create_person
from cadre.resolution.models import MergeRecord

CSV = """\
first_name,last_name,email,affiliation,city,country,cluster
Ana,Lima,ana@x.org,Acme,Lisbon,Portugal,1
Ana,Lima,ANA@x.org,,Porto,Portugal,1
Anna,Lima,,Acme Inc,Lisbon,Portugal,1
Bruno,Costa,bruno@y.org,Globex,Madrid,Spain,2
Carla,Dias,,Initech,Paris,France,3
Carla,Dias,,Initech,Paris,France,3
Dmitri,Ivanov,,Umbrella,Berlin,Germany,4
"""


def test_eval_file(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    call_command("dedup", "eval-file", str(path), "--truth-col", "cluster", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["records"] == 7
    assert set(out) >= {"precision", "recall", "f1", "bcubed_f1", "seconds"}
    assert out["precision"] == 1.0 and out["f1"] >= 0.8  # e-mail key + Carla Dias twins at least
    with pytest.raises(CommandError, match="no column 'truth'"):
        call_command("dedup", "eval-file", str(path), "--truth-col", "truth")


@pytest.mark.django_db
def test_run_and_unmerge(recruiter, admin_user, capsys):
    create_person(recruiter, full_name="Kai Berg", identities=[("github", "kaiberg")])
    create_person(recruiter, full_name="Kai Berg", source_payload={"github": "https://github.com/KaiBerg"})
    call_command("dedup", "run", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["merged"] == 1 and summary["exact_links"] == 1
    record = MergeRecord.objects.get()
    call_command("dedup", "unmerge", str(record.pk))
    assert "undone" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already undone"):
        call_command("dedup", "unmerge", str(record.pk))
    with pytest.raises(CommandError, match="pyspark|Spark"):
        call_command("dedup", "run", "--backend", "spark", "--json")
