#!/usr/bin/env python3
"""Writes the CSV sheets of a SYNTHETIC 500-question form for bench/wasm_engine.sh
(tools/xlsform-from-csv turns them into a workbook): labels in English, Khmer and
Vietnamese; 200 integers with a constraint, 150 select_one and 50 select_multiple
(a 6-choice list), 100 texts; every third question relevant on the one before it;
a calculation every 10 questions summing two integers; groups of 25 questions.

usage: wasm_engine_form.py OUT_DIR
"""
import csv
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
survey = [["type", "name", "label::English (en)", "label::Khmer (km)", "label::Vietnamese (vi)",
           "relevant", "constraint", "constraint_message::English (en)", "required", "calculation"]]
kinds = ["integer"] * 4 + ["select_one opts"] * 3 + ["select_multiple opts"] + ["text"] * 2
last_int = []
for i in range(500):
    if i % 25 == 0:
        if i:
            survey.append(["end_group", "", "", "", "", "", "", "", "", ""])
        survey.append(["begin_group", f"g{i // 25}", f"Section {i // 25 + 1}", f"ផ្នែក {i // 25 + 1}",
                       f"Phần {i // 25 + 1}", "", "", "", "", ""])
    kind = kinds[i % len(kinds)]
    name = f"q{i}"
    relevant = ""
    if i % 3 == 2:
        prev = f"q{i - 1}"
        prev_kind = kinds[(i - 1) % len(kinds)]
        relevant = (f"${{{prev}}} != 99" if prev_kind == "integer" else
                    f"${{{prev}}} != 'x'" if prev_kind == "text" else
                    f"not(selected(${{{prev}}}, 'o6'))")
    constraint = ". >= 0 and . <= 1000" if kind == "integer" else ""
    survey.append([kind, name, f"Question {i + 1} (SYNTHETIC)", f"សំណួរ {i + 1}", f"Câu hỏi {i + 1}",
                   relevant, constraint, "Between 0 and 1000" if constraint else "", "yes", ""])
    if kind == "integer":
        last_int.append(name)
    if i % 10 == 9 and len(last_int) >= 2:
        survey.append(["calculate", f"c{i}", "", "", "", "", "", "", "",
                       f"${{{last_int[-1]}}} + ${{{last_int[-2]}}}"])
survey.append(["end_group", "", "", "", "", "", "", "", "", ""])
choices = [["list_name", "name", "label::English (en)", "label::Khmer (km)", "label::Vietnamese (vi)"]]
for k in range(1, 7):
    choices.append(["opts", f"o{k}", f"Option {k}", f"ជម្រើស {k}", f"Lựa chọn {k}"])
settings = [["form_id", "version", "form_title", "default_language"],
            ["bench500", "1", "Benchmark form, 500 questions (SYNTHETIC)", "English (en)"]]
for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
    with open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
