"""Reads the terminal interviewer's screen as a person would, for the scripts that
drive it (interview_driver.py, study_interview.py). The screen shows labels, never
question names, types or choice codes; this maps what it shows back to the form
(`ngosurvey form show --format json`): the question a label line asks, and what a
"Saved: ... = ..." line saved, as an answer path, a state and a value.

Relies on the words of the interviewer's catalogue (src/interview/messages.cpp) in
the language the reader is made for.
"""
import json
import re
import subprocess

# The catalogue's words, by language: "Saved: {} = {}", "required", the states, and
# the completion and instance lines.
WORDS = {
    "en": {"saved": "Saved: ", "required": " (required)", "refused": "refused",
           "dont_know": "don't know", "not_asked": "not asked", "missing": "no answer",
           "complete": "The interview is complete and saved: ", "interview": "Interview "},
    "km": {"saved": "បានរក្សាទុក៖ ", "required": " (ត្រូវតែឆ្លើយ)", "refused": "បដិសេធមិនឆ្លើយ",
           "dont_know": "មិនដឹង", "not_asked": "មិនបានសួរ", "missing": "គ្មានចម្លើយ",
           "complete": "ការសម្ភាសន៍បានបញ្ចប់ និងរក្សាទុក៖ ", "interview": "ការសម្ភាសន៍ "},
    "vi": {"saved": "Đã lưu: ", "required": " (bắt buộc)", "refused": "từ chối trả lời",
           "dont_know": "không biết", "not_asked": "không hỏi", "missing": "chưa trả lời",
           "complete": "Cuộc phỏng vấn đã hoàn thành và được lưu: ", "interview": "Cuộc phỏng vấn "},
}
HEADER = re.compile(r"^\[(\d+)/(\d+)\]")


class FormScreens:
    def __init__(self, ngosurvey, form, lang):
        doc = json.loads(subprocess.run([ngosurvey, "form", "show", "--format", "json", form],
                                        capture_output=True, check=True, text=True).stdout)
        self.lang = lang
        self.words = WORDS[lang]
        default = doc["default_language"]
        self.lists = doc["choice_lists"]
        self.questions = []  # in form order: dict(name, type, path, list, label, pattern)
        for q in doc["questions"]:
            label = q["label"].get(lang) or q["label"].get(default) or q["name"]
            # ${name} outputs are filled in on the screen: any text there.
            pattern = re.compile("^" + ".*".join(re.escape(p) for p in re.split(r"\$\{[^}]*\}", label)) + "$")
            self.questions.append(dict(q, text=label, pattern=pattern))
        self.repeats = {q["name"]: q for q in self.questions if q["type"] == "begin_repeat"}
        self.last = -1  # the last question shown: labels repeat ("Other, specify")

    def find(self, label, after=-1):
        """The index of the question whose label `label` is, the first after `after`
        in form order when several have that label."""
        hits = [i for i, q in enumerate(self.questions)
                if q["type"] not in ("begin_group", "begin_repeat") and q["pattern"].match(label)]
        later = [i for i in hits if i > after]
        return (later or hits or [None])[0]

    def question_line(self, line):
        """The label line of a question screen -> (name, type), else None. A label
        several questions share is the first of them after the last question shown
        (the interviewer goes forward in form order; a repeat's next instance starts
        again from its first question)."""
        if line.endswith(self.words["required"]):
            line = line[: -len(self.words["required"])]
        i = self.find(line, self.last)
        if i is None:
            return None
        self.last = i
        return self.questions[i]["name"], self.questions[i]["type"]

    def saved_line(self, line):
        """'  Saved: Group > Programme 2 > Label = value' -> (path, (state, value)), or None."""
        text = line.strip()
        if not text.startswith(self.words["saved"]):
            return None
        where, _, shown = text[len(self.words["saved"]):].partition(" = ")
        parts = where.split(" > ")
        i = self.find(parts[-1], self.last - 1)
        if i is None:
            raise SystemExit(f"FAIL: a saved line names no question of the form: {line!r}")
        q = self.questions[i]
        # The path, with each repeat's instance from its heading ("Programme 2").
        instances = {}
        for heading in parts[:-1]:
            m = re.match(r"^(.*) (\d+)$", heading)
            if m:
                for name, r in self.repeats.items():
                    if (r["label"].get(self.lang) or r["text"]) == m.group(1):
                        instances[name] = m.group(2)
        steps = []
        for step in q["path"].split("/")[2:]:
            steps.append(f"{step}[{instances[step]}]" if step in instances else step)
        for state in ("refused", "dont_know", "not_asked", "missing"):
            if shown == self.words[state]:
                return "/".join(steps), (state, "")
        if q.get("list") and q["type"].startswith("select"):
            by_label = {}
            for c in self.lists[q["list"]]:
                by_label[c["label"].get(self.lang) or next(iter(c["label"].values()), c["name"])] = c["name"]
            shown = " ".join(by_label.get(label, label) for label in shown.split(", "))
        return "/".join(steps), ("answered", shown)

    def instance_line(self, line):
        m = re.match(r"^" + re.escape(self.words["interview"]) + r"(uuid:\S+)$", line)
        return m.group(1) if m else None

    def complete_line(self, line):
        return line.startswith(self.words["complete"])
