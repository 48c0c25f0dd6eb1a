// Runs one whole interview of an XLSForm through the NATIVE engine (the workbook
// read by the xlsx reader, driven through interview/json_engine.h) and prints its
// transcript: one JSON line per call, {"request": TEXT, "response": TEXT}, the first
// line being the form's load ({"load_form": TEXT}). engine.test.mjs replays the
// requests on the WebAssembly engine, which reads the form from its JSON model, and
// requires the same responses byte for byte: same screens, labels, messages and
// changes to save.
//
//   ngosurvey_transcript FORM.xlsx LANG [OTHER_LANG]
//
// The answers are chosen by rules, not scripted per form, so that every screen of any
// form is reached: for each prompt a first value that the engine must refuse (a word
// for a number, a name that is not a choice, an impossible date), then plausible
// values until one is accepted (the form's constraints decide; choices in list
// order), refusing or "don't know" where nothing fits, and a refusal of every
// seventh number or text after the tenth screen where the form allows it; every fifth required
// question is first left empty (the required message); screen 3 goes back and forward again; two
// instances of each repeat; OTHER_LANG is switched to at screen 8 and back at screen 16. The clock
// and the random seed are fixed. Exit 1 when the interview cannot reach its end.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "form/form.h"
#include "form/instance_xml.h"
#include "form/odk_instance.h"
#include "interview/json_engine.h"

namespace {

using ngosurvey::interview::JsonEngine;
using nlohmann::json;

class Driver {
 public:
  JsonEngine engine;

  json Send(const json& request) {
    std::string text = request.dump();
    std::string response = engine.Handle(text);
    std::cout << json{{"request", text}, {"response", response}}.dump() << "\n";
    return json::parse(response);
  }
};

std::vector<std::string> Candidates(const json& prompt) {
  std::string type = prompt["type"];
  std::vector<std::string> out;
  if (type == "integer" || type == "range") {
    out = {"abc", "1", "3", "5", "10", "25", "100", "2000", "2015", "0"};
  } else if (type == "decimal") {
    out = {"1,5", "2.5", "10", "100", "0.5", "1000", "0"};
  } else if (type == "date") {
    out = {"2026-02-30", "2020-03-15", "2010-06-01", "2000-01-01", "2026-11-01"};
  } else if (type == "time") {
    out = {"25:00", "09:30"};
  } else if (type == "dateTime") {
    out = {"yesterday", "2026-03-04T10:00:00"};
  } else if (type == "select_one" || type == "select_multiple") {
    const json& choices = prompt["choices"];
    out.push_back("not_a_choice");
    // In list order: the first choice is most often the one that goes on ("yes").
    for (const json& c : choices) out.push_back(c["name"].get<std::string>());
    size_t n = choices.size();
    if (type == "select_multiple" && n >= 2) {
      out.insert(out.begin() + 1, choices[0]["name"].get<std::string>() + " " +
                                      choices[n - 1]["name"].get<std::string>());
    }
  } else if (type == "acknowledge") {
    out = {"OK"};
  } else if (type == "note") {
    // nothing to answer
  } else {
    out = {"Answer " + prompt["name"].get<std::string>(), "KH01", "012345678",
           "someone@example.org", "Phnom Penh"};
  }
  return out;
}

bool Answered(const json& prompt) {
  return prompt["answer"].is_object() && prompt["answer"]["state"] != "missing" &&
         prompt["answer"]["state"] != "not_asked";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: ngosurvey_transcript FORM.xlsx LANG [OTHER_LANG]\n";
    return 2;
  }
  std::string lang = argv[2], other = argc > 3 ? argv[3] : "";
  ngosurvey::Diagnostics diags;
  auto form = ngosurvey::form::LoadFormFile(argv[1], &diags);
  if (!form || diags.has_errors()) {
    std::cerr << argv[1] << ": the form does not load without errors\n";
    return 1;
  }
  const ngosurvey::form::Form copy = *form;  // to read the instance XML back
  Driver d;
  std::string loaded = d.engine.AddForm(std::move(*form));
  std::cout << json{{"load_form", loaded}}.dump() << "\n";
  int64_t form_id = json::parse(loaded)["form"];

  json r = d.Send({{"op", "start"},
                   {"form", form_id},
                   {"language", lang},
                   {"now_ms", 1795597200000},  // 2026-11-25T09:00:00Z, at UTC+07:00
                   {"utc_offset_minutes", 420},
                   {"seed", 11},
                   {"device_id", "test-device"},
                   {"username", "sokha"}});
  if (!r["ok"].get<bool>()) {
    std::cerr << "start: " << r.dump() << "\n";
    return 1;
  }
  int64_t id = r["interview"];
  auto call = [&](json request) {
    request["interview"] = id;
    return d.Send(request);
  };
  int required_seen = 0, stuck = 0;
  for (int step = 1; step < 5000; ++step) {
    const json screen = r["screen"];
    if (screen["kind"] == "end") {
      call({{"op", "review"}});
      r = call({{"op", "complete"}});
      json answers = call({{"op", "answers"}})["answers"];
      if (!r["complete"].get<bool>()) {
        std::cerr << "complete: " << r.dump() << "\n";
        return 1;
      }
      // The submission the browser sends: read back natively (form/odk_instance.h),
      // it must give every answer except the not_asked ones, which it leaves out.
      const std::string kId = "uuid:0b6f2a52-3b7e-4c1d-9a55-5d0c2f6e7a11";
      json x = call({{"op", "instance_xml"}, {"instance_id", kId}});
      ngosurvey::form::OdkInstanceOptions options;
      options.refused_codes = ngosurvey::form::RefusedCodes(copy);
      options.dont_know_codes = ngosurvey::form::DontKnowCodes(copy);
      auto back = ngosurvey::form::ReadOdkInstance(x["xml"].get<std::string>(), copy, options);
      if (!back || back->instance_id != kId) {
        std::cerr << "instance_xml: " << (back ? "wrong instance id" : back.error().message)
                  << "\n";
        return 1;
      }
      size_t expected = 0;
      for (const auto& [path, a] : answers.items()) {
        if (a["state"] == "not_asked") continue;
        ++expected;
        auto it = back->answers.find(path);
        if (it == back->answers.end() ||
            ngosurvey::form::AnswerStateName(it->second.state) != a["state"].get<std::string>() ||
            it->second.value != a["value"].get<std::string>()) {
          std::cerr << "instance_xml: " << path << " does not read back as " << a.dump() << "\n";
          return 1;
        }
      }
      if (back->answers.size() != expected) {
        std::cerr << "instance_xml: " << back->answers.size() << " answers read back, expected "
                  << expected << "\n";
        return 1;
      }
      std::cerr << "transcript: " << step << " screens\n";
      return 0;
    }
    if (screen["kind"] == "repeat_prompt") {
      r = call({{"op", screen["repeat_instance"].get<int>() <= 2 ? "add_repeat" : "next"}});
      continue;
    }
    if (step == 3) {
      call({{"op", "back"}});
      r = call({{"op", "next"}});
      continue;
    }
    if (!other.empty() && (step == 8 || step == 16)) {
      r = call({{"op", "language"}, {"language", step == 8 ? other : lang}});
    }
    const json& prompts = r["screen"]["prompts"];
    for (size_t i = 0; i < prompts.size(); ++i) {
      const json prompt = prompts[i];
      if (!prompt["supported"].get<bool>() || Answered(prompt)) continue;
      if (prompt["required"].get<bool>() && ++required_seen % 5 == 1) {
        call({{"op", "next"}});  // the form's required message, nothing moves
      }
      bool ok = false;
      // Now and then a refusal, where the form allows one, on a number or a text
      // (refusing a select could end the interview early: consent).
      std::string type = prompt["type"];
      if (step > 10 && step % 7 == 0 && prompt["can_refuse"].get<bool>() &&
          (type == "integer" || type == "decimal" || type == "text")) {
        ok = call({{"op", "refuse"}, {"prompt", i}})["ok"].get<bool>();
      }
      for (const std::string& value : ok ? std::vector<std::string>{} : Candidates(prompt)) {
        json s = call({{"op", "set"}, {"prompt", i}, {"value", value}});
        if (s["ok"].get<bool>()) {
          ok = true;
          break;
        }
      }
      if (!ok && prompt["type"] != "note") {
        if (prompt["can_refuse"].get<bool>())
          call({{"op", "refuse"}, {"prompt", i}});
        else if (prompt["can_dont_know"].get<bool>())
          call({{"op", "dont_know"}, {"prompt", i}});
      }
    }
    r = call({{"op", "next"}});
    if (!r["ok"].get<bool>()) {
      if (++stuck > 3) {
        std::cerr << "stuck at step " << step << ": " << r.dump() << "\n";
        return 1;
      }
    } else {
      stuck = 0;
    }
  }
  std::cerr << "the interview did not end in 5000 screens\n";
  return 1;
}
