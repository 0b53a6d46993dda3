"""The config file: every key known, typed and in range, or one line naming it."""

import json

import pytest


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('autor = "me"', "unknown setting autor (known: author, timezone,"),
        ('timezon = "UTC"', "unknown setting timezon (known:"),
        ("[dew]\nstalled_days = 3", "unknown table [dew] (known:"),
        ("[due]\nstalld_days = 3", "unknown setting [due] stalld_days (known:"),
        ("[ledger]\ngift = 3", "unknown setting [ledger] gift (known: kept,"),
        ("busy_timeout = nan", "busy_timeout must be a number of seconds from 0 to 86400"),
        ("busy_timeout = inf", "busy_timeout must be"),
        ("[due]\nstalled_days = nan", "[due] stalled_days must be a number from 0 to 36500"),
        ("[due]\nstalled_days = 1e9", "[due] stalled_days must be a number from 0 to 36500"),
        ("[ledger]\nkept = -1", "[ledger] kept must be a number from 0 to 36500"),
        ("due = 3", "due must be a table of numbers"),
        ("backup_keep = 0", "backup_keep must be a whole number of backups, 1 or more"),
        ("author = 12", "author must be text (not 12)"),
        ('date_order = "xyz"', "date_order must be dmy, mdy or ymd"),
        ('default_channel = "fax"', "default_channel 'fax' is not one of call, email"),
    ],
)
def test_a_config_mistake_is_one_line_naming_the_key(rapport, isolated, text, said):
    (isolated / "config.toml").write_text(text + "\n", encoding="utf-8")
    result = rapport("people", expect=2)
    assert said in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_a_good_config_is_read(rapport, isolated):
    (isolated / "config.toml").write_text(
        'author = "Dana"\ntimezone = "UTC"\ndefault_channel = "phone"\n'
        'date_order = "MDY"\n[due]\nstalled_days = 45\n[ledger]\nkept = 4\n',
        encoding="utf-8",
    )
    rapport("add", "Ann")
    rapport("log", "ann", "hello")
    assert "call" in rapport("timeline", "ann").stdout


def test_date_order_decides_how_a_numeric_day_reads(rapport, isolated):
    rapport("add", "Ann")
    (isolated / "config.toml").write_text('timezone = "UTC"\ndate_order = "dmy"\n')
    rapport("promise", "ann", "the quote", "--due", "03/12")
    (isolated / "config.toml").write_text('timezone = "UTC"\ndate_order = "mdy"\n')
    rapport("promise", "ann", "the plan", "--due", "12/03/2026")
    refused = rapport("promise", "ann", "x", "--due", "31/12", expect=2).stderr
    assert "03/12 is 12 March (date_order mdy)" in refused
    rows = json.loads(rapport("export", "commitments", "--format", "json").stdout)
    assert [r["due"] for r in rows] == ["2026-12-03", "2026-12-03"]
    brief = rapport("problem", "ann", "mix-up") and rapport("brief", "ann").stdout
    assert "(opened today)" in brief
