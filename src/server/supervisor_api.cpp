// The supervisor's endpoints (issue 16, docs/server.md "The supervisor's
// endpoints"): the submissions table (filtered, sorted and paged by the store), one
// submission read by the form's labels (the interview engine's review of its
// answers), its review status, the fieldwork's progress (the fieldwork library's
// numbers, as the CLI prints them) and exports as downloads (the exchange library,
// as `ngosurvey export` writes them). Every decision about who may see or do what is
// store::Authorize's: an interviewer sees only what it sent, an analyst never a
// sensitive answer, only supervisors and admins review. Registered by
// Router::AddBuiltInRoutes.
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/file.h"
#include "exchange/export.h"
#include "exchange/pseudonymise.h"
#include "fieldwork/dispositions.h"
#include "fieldwork/log.h"
#include "fieldwork/rates.h"
#include "fieldwork/status.h"
#include "interview/interview.h"
#include "server/routes.h"

namespace ngosurvey::server {
namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response JsonError(int status, const std::string& message) {
  return Response::Json(status, Dump(Json{{"error", message}}));
}

// A store error as a JSON response.
Response StoreError(const Error& error) {
  if (error.code == "ST002") return JsonError(404, error.message);
  if (error.code == "ST010") return JsonError(403, error.message);
  if (error.code == "ST001") return JsonError(400, error.message);
  if (error.code == "ST006") return JsonError(409, error.message);
  return JsonError(500, "the store failed: " + error.code);
}

}  // namespace

nlohmann::ordered_json ReviewJson(const std::optional<store::Review>& review) {
  if (!review) return nullptr;
  return Json{{"status", std::string(store::ReviewStatusName(review->status))},
              {"validation_status", std::string(store::KoboValidationStatus(review->status))},
              {"comment", review->comment},
              {"by", review->who},
              {"at", date::FormatIsoDateTimeUtc(review->at_ms)}};
}

namespace {

Json RowJson(const store::SubmissionRow& row) {
  return Json{
      {"instance_id", row.instance_id},
      {"form_id", row.form_id},
      {"version", row.form_version},
      {"submitted_by", row.submitted_by},
      {"interviewer", row.interviewer},
      {"org_id", row.org_id},
      {"status", std::string(store::StatusName(row.status))},
      // In the local time of the offset each was written with (the page
      // shows that wall-clock time), "...Z" when none is known.
      {"started_at", date::FormatLocalDateTime(row.started_at_ms, row.started_offset_minutes)},
      {"ended_at", row.ended_at_ms
                       ? Json(date::FormatLocalDateTime(*row.ended_at_ms, row.ended_offset_minutes))
                       : Json(nullptr)},
      {"review", ReviewJson(row.review)}};
}

// GET /api/v1/progress[?by=COLUMN&date=YYYY-MM-DD]: the fieldwork's progress from the
// store, computed by the fieldwork library functions `ngosurvey fieldwork status`,
// `rates` and `due` call (LoadFieldworkState, SummariseStatus, RatesByGroup,
// DueFromState), so the page and the CLI show the same numbers. Grouped by `by`
// (default: the frame's country column when it has one).
Response Progress(const store::Store& store, const Clock& clock, const Request& request,
                  const store::User& user) {
  if (Status allowed = store::Authorize(user, store::Action::kReadFieldworkLog, ""); !allowed) {
    return StoreError(allowed.error());
  }
  namespace fw = fieldwork;
  fw::Date today = fw::Today(clock);
  if (std::string day = request.Query("date"); !day.empty()) {
    auto parsed = fw::ParseDate(day);
    if (!parsed) return JsonError(400, "date is YYYY-MM-DD");
    today = *parsed;
  }
  auto state = fw::LoadFieldworkState(store, "the server's store");
  if (!state) {
    if (state.error().code == "FW040") {
      return JsonError(404, "no sample frame in the store yet (ngosurvey frame import)");
    }
    return JsonError(500, state.error().message);
  }
  fw::ScheduleConfig config;
  config.schedule = fw::DefaultSchedule();
  std::string by = request.Query("by");
  bool chosen = !by.empty();
  if (!chosen) by = "country";
  auto summary = fw::SummariseStatus(*state, today, config, by);
  if (!summary && summary.error().code == "FW012" && !chosen) {
    by.clear();
    summary = fw::SummariseStatus(*state, today, config, by);
  }
  if (!summary) {
    return JsonError(summary.error().code == "FW012" ? 400 : 500, summary.error().message);
  }
  auto e_spec = fw::ParseESpec("proportional");
  auto rates = fw::RatesByGroup(fw::RatesFrame(*state), by, *e_spec);
  auto due = fw::DueFromState(*state, today, config);
  if (!due) return JsonError(500, due.error().message);

  Json out;
  out["date"] = fw::FormatDate(today);
  out["by"] = by.empty() ? Json(nullptr) : Json(by);
  out["groups"] = summary->groups;
  Json dispositions = Json::array();
  for (const fw::DispositionCode& code : fw::FinalDispositions()) {
    auto it = summary->by_code.find(std::string(code.code));
    if (it == summary->by_code.end()) continue;
    Json counts = Json::object();
    for (const std::string& g : summary->groups) {
      counts[g] = it->second.count(g) ? it->second.at(g) : 0;
    }
    dispositions.push_back({{"code", code.code},
                            {"category", fw::CategoryAbbreviation(code.category)},
                            {"label", code.label},
                            {"counts", std::move(counts)}});
  }
  out["dispositions"] = std::move(dispositions);
  Json open = Json::object();
  for (const std::string& g : summary->groups) open[g] = summary->open_per_group[g];
  out["open_cases"] = std::move(open);
  Json interviewers = Json::object();
  for (const auto& [name, codes] : summary->per_interviewer) {
    int total = 0;
    for (const auto& [code, n] : codes) total += n;
    interviewers[name] = {{"total", total}, {"by_code", codes}};
  }
  out["interviews_per_interviewer"] = std::move(interviewers);
  out["interviews_per_day"] = summary->per_day;
  Json rate_rows = Json::array();
  if (rates) {
    for (const fw::GroupRates& g : *rates) {
      Json row = {{"group", g.group}, {"cases", g.rates.counts.Total()}};
      for (const fw::MeasureInfo& m : fw::Measures()) {
        const fw::RateValue& v = g.rates[m.measure];
        row[std::string(m.name)] = v.value ? Json(*v.value) : Json(nullptr);
      }
      rate_rows.push_back(std::move(row));
    }
    out["rates"] = std::move(rate_rows);
  } else {
    out["rates"] = nullptr;
    out["rates_problem"] = rates.error().message;
  }
  Json follow_ups = Json::array();
  for (const fw::DueItem& item : due->items) {
    if (item.status == fw::DueStatus::kUpcoming) continue;
    follow_ups.push_back({{"org_id", item.org_id},
                          {"action", item.action},
                          {"mode", fw::ModeName(item.mode)},
                          {"due", fw::FormatDate(item.due)},
                          {"status", fw::DueStatusName(item.status)},
                          {"days_late", item.days_late}});
  }
  out["follow_ups"] = std::move(follow_ups);
  return Response::Json(200, Dump(out));
}

// Milliseconds of the start of day "YYYY-MM-DD" (UTC), or nullopt.
std::optional<int64_t> DayStart(const std::string& text) {
  auto days = date::ParseIsoDate(text);
  if (!days) return std::nullopt;
  return *days * 86400000;
}

}  // namespace

Response Router::ApiSubmissionTable(const Request& request, const store::User& user) {
  store::SubmissionQuery query;
  std::string form = request.Query("form");
  if (!form.empty()) {
    if (Status allowed = store::Authorize(user, store::Action::kReadSubmission, form); !allowed) {
      return StoreError(allowed.error());
    }
    query.form_id = form;
  } else if (!user.all_forms && user.role != store::Role::kAdmin) {
    if (user.forms.size() != 1) {
      return JsonError(400, "choose a form (form=ID): this account works on several");
    }
    query.form_id = user.forms.front();
  }
  if (Status allowed =
          store::Authorize(user, store::Action::kReadSubmission, query.form_id.value_or(""));
      !allowed) {
    return StoreError(allowed.error());
  }
  // An interviewer's table holds only what it sent, whatever it asks for.
  if (auto own = store::ReadableSubmitter(user)) {
    query.submitted_by = *own;
  } else if (std::string by = request.Query("submitted_by"); !by.empty()) {
    query.submitted_by = by;
  }
  if (std::string status = request.Query("status"); !status.empty()) {
    auto parsed = store::ParseStatus(status);
    if (!parsed) return JsonError(400, "status is draft or complete");
    query.status = *parsed;
  }
  if (std::string review = request.Query("review"); !review.empty()) query.review = review;
  if (std::string from = request.Query("from"); !from.empty()) {
    query.started_from_ms = DayStart(from);
    if (!query.started_from_ms) return JsonError(400, "from is a date, YYYY-MM-DD");
  }
  if (std::string to = request.Query("to"); !to.empty()) {
    auto start = DayStart(to);
    if (!start) return JsonError(400, "to is a date, YYYY-MM-DD");
    query.started_before_ms = *start + 86400000;  // the whole day
  }
  if (std::string sort = request.Query("sort"); !sort.empty()) {
    auto parsed = store::ParseSubmissionSort(sort);
    if (!parsed) return JsonError(400, parsed.error().message);
    query.sort = *parsed;
  }
  std::string order = request.Query("order");
  if (!order.empty() && order != "asc" && order != "desc") {
    return JsonError(400, "order is asc or desc");
  }
  query.descending = order == "desc";
  std::string limit = request.Query("limit");
  if (!limit.empty()) {
    bool digits = limit.size() <= 4 && std::all_of(limit.begin(), limit.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return JsonError(400, "limit must be 1 to 1000");
    query.limit = std::stoll(limit);
  }
  std::string after = request.Query("after");
  if (!after.empty()) {
    // "KEY~INSTANCE_ID": instance ids have no '~', keys may.
    size_t tilde = after.rfind('~');
    if (tilde == std::string::npos || !store::IsValidInstanceId(after.substr(tilde + 1))) {
      return JsonError(400, "malformed after cursor");
    }
    query.after = store::SubmissionQuery::After{after.substr(0, tilde), after.substr(tilde + 1)};
  }
  // Ask for one more row than shown: it tells whether there is a next page.
  int64_t shown = query.limit;
  if (shown < 1 || shown > 1000) return JsonError(400, "limit must be 1 to 1000");
  query.limit = shown + 1 > 1000 ? 1000 : shown + 1;
  store::AccessEntry entry;
  entry.who = user.name;
  entry.action = "list_submissions";
  entry.form_id = query.form_id.value_or("");
  entry.detail = "table sort=" + std::string(store::SubmissionSortName(query.sort)) +
                 (query.descending ? " desc" : "") + (after.empty() ? "" : " after=" + after);
  if (auto recorded = store_.RecordAccess(entry); !recorded) return StoreError(recorded.error());
  auto rows = store_.QuerySubmissions(query);
  if (!rows) return StoreError(rows.error());
  bool more = static_cast<int64_t>(rows->size()) > shown;
  if (more) rows->resize(static_cast<size_t>(shown));
  Json list = Json::array();
  for (const store::SubmissionRow& row : *rows) {
    // A user limited to some forms never sees a row of another, even unfiltered.
    if (!store::WorksOn(user, row.form_id) && user.role != store::Role::kAdmin) continue;
    list.push_back(RowJson(row));
  }
  Json out;
  out["submissions"] = std::move(list);
  out["next"] =
      more ? Json(store::SortKey(rows->back(), query.sort) + "~" + rows->back().instance_id)
           : Json(nullptr);
  return Response::Json(200, Dump(out));
}

Response Router::ApiSubmissionView(const Request& request, const std::string& form_id,
                                   const std::string& instance_id, const store::User& user) {
  if (Status allowed = store::Authorize(user, store::Action::kReadSubmission, form_id); !allowed) {
    return StoreError(allowed.error());
  }
  auto submission = store_.GetSubmission(instance_id);
  if (!submission || submission->form_id != form_id ||
      !store::Authorize(user, store::Action::kReadSubmission, form_id, submission->submitted_by)) {
    // Not found rather than forbidden: another interviewer's submissions stay unseen.
    if (!submission && submission.error().code != "ST002") return StoreError(submission.error());
    return JsonError(404, "no such submission");
  }
  bool sensitive_allowed =
      static_cast<bool>(store::Authorize(user, store::Action::kReadSensitive, form_id));
  auto loaded = LoadForm(form_id, submission->form_version);
  if (!loaded) return JsonError(500, "the form version cannot be read");
  const form::Form& form = (*loaded)->form;
  std::string language = request.Query("lang");
  if (!language.empty() && !form.HasLanguage(language)) {
    return JsonError(400, "the form has no language \"" + language.substr(0, 50) + "\"");
  }
  if (language.empty()) language = submission->language;
  if (!language.empty() && !form.HasLanguage(language)) language.clear();
  auto review = store_.GetReview(instance_id);
  if (!review) return StoreError(review.error());
  store::AccessEntry entry;
  entry.who = user.name;
  entry.action = "read_submission";
  entry.form_id = form_id;
  entry.instance_id = instance_id;
  if (auto recorded = store_.RecordAccess(entry); !recorded) return StoreError(recorded.error());

  Json items = Json::array();
  auto hidden = [&](const form::Question* q) {
    return !sensitive_allowed && q != nullptr && exchange::IsSensitive(*q);
  };
  const std::shared_ptr<const interview::CompiledForm>& compiled = (*loaded)->compiled;
  std::unique_ptr<interview::Interview> replay;
  if (compiled) {
    interview::Options options;
    options.language = language;
    options.clock = clock_;
    options.seed = 1;
    if (auto resumed = interview::Interview::Resume(compiled, submission->answers, options)) {
      replay = std::move(*resumed);
    }
  }
  if (replay) {
    for (const interview::ReviewItem& item : replay->Review()) {
      if (!item.displayed) continue;
      auto stored = submission->answers.find(item.path);
      if (stored == submission->answers.end() && !item.relevant) continue;
      const form::Question* q = form.FindQuestion(item.name);
      Json groups = Json::array();
      for (const std::string& g : item.group_path) groups.push_back(g);
      bool secret = hidden(q);
      items.push_back(
          {{"path", item.path},
           {"name", item.name},
           {"label", item.label},
           {"groups", std::move(groups)},
           {"state", secret ? "hidden" : std::string(form::AnswerStateName(item.state))},
           {"value", secret ? Json(nullptr) : Json(item.value)},
           {"shown", secret ? Json(nullptr) : Json(item.shown)}});
    }
  } else {
    // A submission the engine cannot replay (a path the form does not have): its
    // answers by path, with the question's label where the form has it.
    for (const auto& [path, answer] : submission->answers) {
      std::string_view last = path;
      if (size_t slash = last.rfind('/'); slash != std::string_view::npos) {
        last = last.substr(slash + 1);
      }
      const form::Question* q = form.FindQuestion(last.substr(0, last.find('[')));
      bool secret = hidden(q);
      items.push_back(
          {{"path", path},
           {"name", q ? q->name : path},
           {"label", q ? form.Text(q->label, language) : path},
           {"groups", Json::array()},
           {"state", secret ? "hidden" : std::string(form::AnswerStateName(answer.state))},
           {"value", secret ? Json(nullptr) : Json(answer.value)},
           {"shown", secret ? Json(nullptr) : Json(answer.value)}});
    }
  }
  Json languages = Json::array();
  for (const form::Language& l : form.languages) {
    languages.push_back({{"code", l.code}, {"name", l.name}});
  }
  store::SubmissionRow row = {};
  row.instance_id = submission->instance_id;
  row.form_id = submission->form_id;
  row.form_version = submission->form_version;
  row.status = submission->status;
  row.org_id = submission->org_id;
  row.interviewer = submission->interviewer;
  row.submitted_by = submission->submitted_by;
  row.started_at_ms = submission->started_at_ms;
  row.ended_at_ms = submission->ended_at_ms;
  row.started_offset_minutes = submission->started_offset_minutes;
  row.ended_offset_minutes = submission->ended_offset_minutes;
  row.review = *review;
  Json out = RowJson(row);
  // The account that sent it (an import's SubmitterName or _submitted_by), which is
  // not the interviewer.
  out["account"] = store::AccountOf(*submission);
  out["form_title"] = form.title;
  out["language"] = language.empty() ? form.default_language : form.LanguageCode(language);
  out["languages"] = std::move(languages);
  out["may_review"] = static_cast<bool>(store::Authorize(user, store::Action::kReview, form_id));
  out["items"] = std::move(items);
  return Response::Json(200, Dump(out));
}

Response Router::ApiReview(const Request& request, const std::string& form_id,
                           const std::string& instance_id, const store::User& user) {
  bool write = request.method != "GET" && request.method != "HEAD";
  store::Action action = write ? store::Action::kReview : store::Action::kReadSubmission;
  if (Status allowed = store::Authorize(user, action, form_id); !allowed) {
    return StoreError(allowed.error());
  }
  auto submission = store_.GetSubmission(instance_id);
  if (!submission || submission->form_id != form_id ||
      !store::Authorize(user, store::Action::kReadSubmission, form_id, submission->submitted_by)) {
    if (!submission && submission.error().code != "ST002") return StoreError(submission.error());
    return JsonError(404, "no such submission");
  }
  if (!write) {
    auto review = store_.GetReview(instance_id);
    if (!review) return StoreError(review.error());
    return Response::Json(200, Dump(Json{{"review", ReviewJson(*review)}}));
  }
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return JsonError(400, "the body is a JSON object: {\"status\": ..., \"comment\": ...}");
  }
  auto status_field = body.find("status");
  if (status_field == body.end() || !status_field->is_string()) {
    return JsonError(400, "status is approved, needs_checking or rejected");
  }
  auto status = store::ParseReviewStatus(status_field->get<std::string>());
  if (!status) return JsonError(400, "status is approved, needs_checking or rejected");
  store::Review review;
  review.instance_id = instance_id;
  review.status = *status;
  review.who = user.name;
  if (auto comment = body.find("comment"); comment != body.end() && !comment->is_null()) {
    if (!comment->is_string()) return JsonError(400, "comment is text");
    review.comment = comment->get<std::string>();
  }
  auto stored = store_.SetReview(review);
  if (!stored) return StoreError(stored.error());
  return Response::Json(200, Dump(Json{{"review", ReviewJson(*stored)}}));
}

Response Router::ApiExport(const Request& request, const std::string& form_id,
                           const store::User& user) {
  if (Status allowed = store::Authorize(user, store::Action::kReadSubmission, form_id); !allowed) {
    return StoreError(allowed.error());
  }
  std::string format_name = request.Query("format");
  if (format_name.empty()) format_name = "csv";
  auto format = exchange::ParseExportFormat(format_name);
  if (!format ||
      (*format != exchange::ExportFormat::kCsv && *format != exchange::ExportFormat::kXlsx)) {
    return JsonError(400, "format is csv or xlsx");
  }
  auto versions = store_.ListForms(form_id);
  if (!versions) return StoreError(versions.error());
  if (versions->empty()) return JsonError(404, "no form \"" + form_id + "\" in the store");
  auto loaded = LoadForm(form_id, versions->back().version);  // the latest, as the CLI
  if (!loaded) return JsonError(500, "the form cannot be read");
  const form::Form& form = (*loaded)->form;
  exchange::ExportOptions options;
  options.format = *format;
  options.language = request.Query("lang");
  if (!options.language.empty() && !form.HasLanguage(options.language)) {
    return JsonError(400, "the form has no language \"" + options.language.substr(0, 50) + "\"");
  }
  // Whoever may not read sensitive answers (analysts) gets the pseudonymised export:
  // sensitive questions left out, organisations and interviewers as keyed
  // pseudonyms (a key of this server process).
  if (!store::Authorize(user, store::Action::kReadSensitive, form_id)) {
    static const std::string key = [] {
      std::string bytes(32, '\0');
      randombytes_buf(bytes.data(), bytes.size());
      return bytes;
    }();
    options.pseudonym_key = key;
  }
  auto reviews = store_.ListReviews(form_id);
  if (!reviews) return StoreError(reviews.error());
  for (const store::Review& review : *reviews) {
    options.validation_status[review.instance_id] = store::KoboValidationStatus(review.status);
  }
  store::SubmissionFilter filter;
  filter.form_id = form_id;
  filter.status = store::SubmissionStatus::kComplete;
  filter.include_pretest = false;
  filter.submitted_by = store::ReadableSubmitter(user);
  auto metadata = store_.MetadataColumns(filter);
  if (!metadata) return StoreError(metadata.error());
  options.metadata_columns = std::move(*metadata);
  store::AccessEntry entry;
  entry.who = user.name;
  entry.action = "export";
  entry.form_id = form_id;
  entry.detail = format_name + (options.pseudonym_key ? " pseudonymised" : "");
  if (auto recorded = store_.RecordAccess(entry); !recorded) return StoreError(recorded.error());

  std::string pattern = (std::filesystem::temp_directory_path() / "ngosurvey-export-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) return JsonError(500, "cannot make a temporary folder");
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{pattern};
  std::string out = pattern + "/" + form_id + "." + format_name;
  auto source = [&](const store::SubmissionVisitor& visit) {
    return store_.ForEachSubmission(filter, visit);
  };
  auto written = exchange::ExportStream(form, source, options, out);
  if (!written) return JsonError(500, "the export failed: " + written.error().message);
  // CSV: one file per level; ?level=REPEAT names a repeat's file (PATH-REPEAT.csv).
  std::string file = out;
  std::string level = request.Query("level");
  if (!level.empty()) {
    file = pattern + "/" + form_id + "-" + level + ".csv";
    if (std::find(written->files.begin(), written->files.end(), file) == written->files.end()) {
      return JsonError(404, "the export has no level \"" + level.substr(0, 50) + "\"");
    }
  }
  auto bytes = ReadFile(file);
  if (!bytes) return JsonError(500, "cannot read the export back");
  Response r;
  r.content_type = *format == exchange::ExportFormat::kCsv
                       ? "text/csv; charset=utf-8"
                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(*bytes);
  std::string name = std::filesystem::path(file).filename().string();
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return r;
}

void Router::AddSupervisorRoutes() {
  Add({"GET", "/api/v1/forms/{form_id}/export", Access::kAccount,
       [this](const Request& r, const RouteParams& p, const store::User* u) {
         return ApiExport(r, p.at("form_id"), *u);
       }});
  Add({"GET", "/api/v1/progress", Access::kAccount,
       [this](const Request& r, const RouteParams&, const store::User* u) {
         return Progress(store_, *clock_, r, *u);
       }});
  Add({"GET", "/api/v1/submissions", Access::kAccount,
       [this](const Request& r, const RouteParams&, const store::User* u) {
         return ApiSubmissionTable(r, *u);
       }});
  Add({"GET", "/api/v1/forms/{form_id}/submissions/{instance_id}", Access::kAccount,
       [this](const Request& r, const RouteParams& p, const store::User* u) {
         return ApiSubmissionView(r, p.at("form_id"), p.at("instance_id"), *u);
       }});
  for (const char* method : {"GET", "PUT", "POST"}) {
    Add({method, "/api/v1/forms/{form_id}/submissions/{instance_id}/review", Access::kAccount,
         [this](const Request& r, const RouteParams& p, const store::User* u) {
           return ApiReview(r, p.at("form_id"), p.at("instance_id"), *u);
         }});
  }
}

}  // namespace ngosurvey::server
