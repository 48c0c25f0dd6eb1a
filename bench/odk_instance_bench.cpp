// Reading ODK submissions (form/odk_instance.h): one typical 100-question
// submission's XML, read and checked against its form, many times. The form is
// generated (SYNTHETIC): 40 text, 20 integer, 10 decimal, 10 select_one, 5
// select_multiple, 5 date, 5 dateTime questions, a group of them, and a repeat of 5
// questions with 3 instances in the submission; the XML is what ODK Collect writes for
// it (about 4 KB). Goal (issue 20): at least 20,000 submissions a second on one core.
// BM_ReadOdkInstanceExact reads it with expat alone (the reference parser), and
// BM_ExpatOnly parses the same XML with expat and no handlers, the floor under any
// reader built on expat.
#include <benchmark/benchmark.h>
#include <expat.h>

#include <string>
#include <vector>

#include "form/odk_instance.h"
#include "form/testing/form_rows.h"

namespace {

using ngosurvey::form::Form;
using ngosurvey::form::testing::Rows;

struct Workload {
  Form form;
  std::string xml;
};

const Workload& Typical() {
  static const Workload workload = [] {
    Rows survey = {{"type", "name", "label"}};
    Rows choices = {{"list_name", "name", "label"}};
    for (int c = 1; c <= 6; ++c) {
      choices.push_back({"opts", "o" + std::to_string(c), "Option " + std::to_string(c)});
    }
    std::string body;
    auto add = [&](const std::string& type, const std::string& name, const std::string& value) {
      survey.push_back({type, name, "Question " + name});
      body += "<" + name + ">" + value + "</" + name + ">";
    };
    int n = 0;
    auto next = [&] { return "q" + std::to_string(++n); };
    survey.push_back({"start", "start", ""});
    body += "<start>2026-12-05T09:00:00.000+07:00</start>";
    survey.push_back({"end", "end", ""});
    body += "<end>2026-12-05T09:40:12.345+07:00</end>";
    for (int i = 0; i < 30; ++i)
      add("text", next(), "An answer of a few words, " + std::to_string(i));
    for (int i = 0; i < 20; ++i) add("integer", next(), std::to_string(17 * i + 3));
    for (int i = 0; i < 10; ++i) add("decimal", next(), std::to_string(i) + ".25");
    for (int i = 0; i < 10; ++i) add("select_one opts", next(), "o" + std::to_string(1 + i % 6));
    for (int i = 0; i < 5; ++i) add("select_multiple opts", next(), "o1 o3 o5");
    for (int i = 0; i < 5; ++i) add("date", next(), "2001-05-1" + std::to_string(i));
    for (int i = 0; i < 5; ++i)
      add("dateTime", next(), "2026-12-05T10:0" + std::to_string(i) + ":00.000+07:00");
    survey.push_back({"begin_group", "office", "Office"});
    body += "<office>";
    for (int i = 0; i < 10; ++i) add("text", next(), "In the group " + std::to_string(i));
    survey.push_back({"end_group", "", ""});
    body += "</office>";
    survey.push_back({"begin_repeat", "programs", "Programmes"});
    std::vector<std::string> names;
    for (int i = 0; i < 5; ++i) {
      names.push_back(next());
      survey.push_back({i % 2 ? "integer" : "text", names.back(), "Question " + names.back()});
    }
    survey.push_back({"end_repeat", "", ""});
    for (int r = 0; r < 3; ++r) {
      body += "<programs>";
      for (int i = 0; i < 5; ++i) {
        body += "<" + names[i] + ">" +
                (i % 2 ? std::to_string(r + i) : "Programme " + std::to_string(r)) + "</" +
                names[i] + ">";
      }
      body += "</programs>";
    }
    Workload w;
    w.form = *ngosurvey::form::testing::MakeForm(survey, choices,
                                                 {{"form_id", "version"}, {"typical", "1"}});
    w.xml =
        "<?xml version='1.0' ?><data id=\"typical\" version=\"1\" "
        "xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:orx=\"http://openrosa.org/xforms\">" +
        body +
        "<meta><instanceID>uuid:6f1b5b4e-2a49-4c4e-9a43-2b9e1f6e1a01</instanceID>"
        "<instanceName>Typical</instanceName></meta></data>";
    return w;
  }();
  return workload;
}

void BM_ReadOdkInstance(benchmark::State& state) {
  const Workload& w = Typical();
  ngosurvey::form::OdkInstanceReader reader(w.form);
  size_t answers = 0;
  for (auto _ : state) {
    auto read = reader.Read(w.xml);
    if (!read) {
      state.SkipWithError(read.error().ToString().c_str());
      return;
    }
    answers = read->answers.size();
    benchmark::DoNotOptimize(read);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * w.xml.size()));
  state.counters["answers"] = static_cast<double>(answers);
  state.counters["xml_bytes"] = static_cast<double>(w.xml.size());
}
BENCHMARK(BM_ReadOdkInstance);

// The same submissions read by expat alone (OdkInstanceReader::ReadExact: the
// reference parser, which decides what the fast pass leaves to it), in the same run.
void BM_ReadOdkInstanceExact(benchmark::State& state) {
  const Workload& w = Typical();
  ngosurvey::form::OdkInstanceReader reader(w.form);
  for (auto _ : state) {
    auto read = reader.ReadExact(w.xml);
    if (!read) {
      state.SkipWithError(read.error().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(read);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReadOdkInstanceExact);

void BM_ExpatOnly(benchmark::State& state) {
  const Workload& w = Typical();
  for (auto _ : state) {
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_Parse(parser, w.xml.data(), static_cast<int>(w.xml.size()), XML_TRUE);
    XML_ParserFree(parser);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExpatOnly);

}  // namespace

BENCHMARK_MAIN();
