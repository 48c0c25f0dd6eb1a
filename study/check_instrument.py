#!/usr/bin/python3
"""Checks the study's XLSForm sources (study/instrument/*.csv) until `ngosurvey form check` exists,
and afterwards for the study-specific rules that a generic checker cannot know.

Usage: study/check_instrument.py [INSTRUMENT_DIR [PUBLISHED_TABLES_CSV]]
Defaults: study/instrument and study/published_tables.csv, relative to the repository root.

Generic XLSForm rules: names unique and valid XML names; ${refs} exist; select lists exist and
are non-empty; choice names unique per list; codes compared in selected()/= exist in the list;
groups balanced; every row that shows text has it in all three languages (Khmer text in Khmer
script); hints and constraint messages complete in all languages.
Study rules: every item_id of published_tables.csv is a question with that name, every printed
option_id is a choice of that question's list; the program items are inside the program group;
question kinds agree with the response kinds of study/bases.toml.
Prints one line per problem and exits 1 if there is any.
"""
import csv
import os
import re
import sys

LANGS = ["English (en)", "Khmer (km)", "Vietnamese (vi)"]
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
REF_RE = re.compile(r"\$\{([^}]*)\}")
KHMER_RE = re.compile(r"[\u1780-\u17FF]")
NO_LABEL = {"start", "end", "today", "deviceid", "username", "calculate", "end_group", "end group",
            "end_repeat", "audit", "phonenumber", "simserial", "subscriberid", "hidden"}
# Program items outside Tables 2-10 that must sit inside the program group.
T1_PROGRAM_ITEMS = {"t1_years_implementing", "t1_years_working", "t1_female_staff"}
PROGRAM_GROUP = "grp_programs"
PROGRAM_RELEVANT = "${t1_presence_of_programs} = 'yes'"


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    folder = argv[1] if len(argv) > 1 else os.path.join(root, "study", "instrument")
    tables = argv[2] if len(argv) > 2 else os.path.join(root, "study", "published_tables.csv")
    survey = read(os.path.join(folder, "survey.csv"))
    choices = read(os.path.join(folder, "choices.csv"))
    settings = read(os.path.join(folder, "settings.csv"))
    problems = []

    def bad(where, message):
        problems.append(f"{where}: {message}")

    # Choice lists.
    lists = {}
    for idx, ch in enumerate(choices, start=2):
        where = f"choices.csv:{idx}"
        name = ch["name"]
        if not name or " " in name:
            bad(where, f"choice name '{name}' empty or has a space")
        entries = lists.setdefault(ch["list_name"], [])
        if name in entries:
            bad(where, f"duplicate choice '{name}' in list '{ch['list_name']}'")
        entries.append(name)
        for lang in LANGS:
            if not ch.get(f"label::{lang}", "").strip():
                bad(where, f"choice '{name}' has no label::{lang}")
        if KHMER_RE.search(ch.get("label::English (en)", "")) or KHMER_RE.search(ch.get("label::Vietnamese (vi)", "")):
            bad(where, f"choice '{name}': Khmer script in an English or Vietnamese label")
        km = ch.get("label::Khmer (km)", "")
        if km and not KHMER_RE.search(km) and not re.fullmatch(r"[0-9–\- ]+", km):
            bad(where, f"choice '{name}': Khmer label has no Khmer script")

    # Survey rows.
    names = {}
    field_list = {}
    stack = []
    group_of = {}
    used_lists = set()
    for idx, row in enumerate(survey, start=2):
        where = f"survey.csv:{idx}"
        type_ = row["type"].strip()
        name = row["name"].strip()
        base = type_.split()[0] if type_ else ""
        if base in ("begin_group", "begin", "begin_repeat"):
            stack.append(name)
        if base in ("end_group", "end_repeat"):
            if not stack or stack[-1] != name:
                bad(where, f"end_group '{name}' does not close '{stack[-1] if stack else ''}'")
            if stack:
                stack.pop()
            continue
        if not NAME_RE.match(name):
            bad(where, f"name '{name}' is not a valid XML name")
        if name in names:
            bad(where, f"duplicate name '{name}' (first at row {names[name]})")
        names[name] = idx
        group_of[name] = list(stack)
        if base in ("select_one", "select_multiple"):
            parts = type_.split()
            if len(parts) != 2:
                bad(where, f"type '{type_}' must name exactly one list")
            else:
                field_list[name] = (base, parts[1])
                used_lists.add(parts[1])
                if parts[1] not in lists:
                    bad(where, f"list '{parts[1]}' does not exist")
        if base not in NO_LABEL:
            for lang in LANGS:
                if not row.get(f"label::{lang}", "").strip():
                    bad(where, f"'{name}' has no label::{lang}")
            km = row.get("label::Khmer (km)", "")
            if km and not KHMER_RE.search(km):
                bad(where, f"'{name}': Khmer label has no Khmer script")
        for column in ("hint", "constraint_message"):
            present = [bool(row.get(f"{column}::{lang}", "").strip()) for lang in LANGS]
            if any(present) and not all(present):
                bad(where, f"'{name}': {column} missing in some languages")
        if row.get("constraint", "").strip() and not row.get("constraint_message::English (en)", "").strip():
            bad(where, f"'{name}': constraint without constraint_message")
        if row.get("sensitive", "") not in ("", "yes", "no"):
            bad(where, f"'{name}': sensitive must be yes, no or empty")
        if base == "calculate" and not row.get("calculation", "").strip():
            bad(where, f"'{name}': calculate without calculation")
    if stack:
        bad("survey.csv", f"unclosed groups: {stack}")

    # References and compared codes.
    code_re = re.compile(r"selected\(\s*\$\{([^}]*)\}\s*,\s*'([^']*)'\s*\)|\$\{([^}]*)\}\s*!?=\s*'([^']*)'")
    exprs = []
    for idx, row in enumerate(survey, start=2):
        for column, text in row.items():
            if column and text and "${" in text:
                exprs.append((f"survey.csv:{idx} {column}", text))
    for row in settings:
        for column, text in row.items():
            if text and "${" in text:
                exprs.append((f"settings.csv {column}", text))
    for where, text in exprs:
        for ref in REF_RE.findall(text):
            if ref not in names:
                bad(where, f"${{{ref}}} does not exist")
        for m in code_re.finditer(text):
            field, code = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if field in field_list:
                lst = field_list[field][1]
                if code not in lists.get(lst, []):
                    bad(where, f"'{code}' is not a choice of ${{{field}}} (list '{lst}')")
    for idx, row in enumerate(survey, start=2):
        for code in re.findall(r"selected\(\s*\.\s*,\s*'([^']*)'\s*\)", row.get("constraint", "")):
            name = row["name"]
            if name in field_list and code not in lists.get(field_list[name][1], []):
                bad(f"survey.csv:{idx} constraint", f"'{code}' is not a choice of '{name}'")
    for lst, entries in lists.items():
        if not entries:
            bad("choices.csv", f"list '{lst}' is empty")
        if lst not in used_lists:
            bad("choices.csv", f"list '{lst}' is not used by any question")

    # Settings.
    if len(settings) != 1:
        bad("settings.csv", "must have exactly one row")
    else:
        s = settings[0]
        for column in ("form_id", "form_title", "version", "default_language", "translation_status"):
            if not s.get(column, "").strip():
                bad("settings.csv", f"{column} is empty")
        if s.get("default_language") not in LANGS:
            bad("settings.csv", "default_language is not one of the form's languages")

    # Study rules: Tables 1-10 map 1:1 to questions and choices.
    if os.path.exists(tables):
        group_relevant = {row["name"]: row.get("relevant", "") for row in survey
                          if row["type"].startswith("begin")}
        if group_relevant.get(PROGRAM_GROUP) != PROGRAM_RELEVANT:
            bad("survey.csv", f"group {PROGRAM_GROUP} must be relevant when {PROGRAM_RELEVANT}")
        items = {}
        for cell in read(tables):
            items.setdefault(cell["item_id"], set()).add(cell["option_id"])
        for item, options in items.items():
            where = f"published_tables {item}"
            if item not in names:
                bad(where, "no question with this name")
                continue
            program_item = not item.startswith("t1_") or item in T1_PROGRAM_ITEMS
            row = survey[names[item] - 2]
            if program_item and PROGRAM_GROUP not in group_of[item] and \
                    PROGRAM_RELEVANT not in row.get("relevant", ""):
                bad(where, "program item is not limited to organisations with programs")
            printed = options - {"value"}
            if printed:
                if item not in field_list:
                    bad(where, "has printed options but is not a select question")
                    continue
                missing = printed - set(lists.get(field_list[item][1], []))
                if missing:
                    bad(where, f"options missing from list '{field_list[item][1]}': {sorted(missing)}")
            elif item not in field_list and row["type"] not in ("integer", "decimal", "calculate"):
                bad(where, f"single-value item has type '{row['type']}'")
    else:
        bad(tables, "not found: table mapping not checked")

    # Study rule: the question kind agrees with the response kind in study/bases.toml.
    bases_path = os.path.join(os.path.dirname(tables), "bases.toml")
    if os.path.exists(bases_path):
        import tomllib
        with open(bases_path, "rb") as handle:
            bases = tomllib.load(handle)
        expected = {"single": ("select_one",), "multiple": ("select_multiple",),
                    "binary": ("select_one", "calculate"), "mean": ("integer", "decimal")}
        for table in bases.get("tables", {}).values():
            for item, spec in table.get("items", {}).items():
                response = spec.get("response")
                if item not in names or response not in expected:
                    continue
                kind = survey[names[item] - 2]["type"].split()[0]
                if kind not in expected[response]:
                    bad(f"bases.toml {item}", f"response '{response}' but the question is '{kind}'")

    for line in problems:
        print(line)
    print(f"{len(names)} named survey rows, {len(lists)} choice lists, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
