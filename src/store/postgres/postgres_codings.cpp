// The PostgreSQL store's codings of open answers (store/codings.h), as the SQLite
// store keeps them: one `codings` row per code and segment of an answer by a coder,
// the reconciled codes under coder "(reconciled)" with an audit entry per change.
// The submission's row is locked first, so two coders' writes to one answer (or two
// servers') are ordered.
#include <algorithm>

#include "store/codings_internal.h"
#include "store/postgres/postgres_store_impl_internal.h"

namespace ngosurvey::store::postgres {

Status PostgresStore::PutCodings(const std::vector<AnswerCoding>& codings) {
  std::vector<AnswerCoding> checked = NGO_TRY(internal::CheckCodings(codings));
  return Write("cannot store codings", [&]() -> Status {
    int64_t now = options_.clock->NowMillis();
    for (const AnswerCoding& c : checked) {
      Row row = NGO_TRY(LockSubmission(c.instance_id));
      NGO_TRY(ReplaceCodings(row.id, c.question, c.coder, c.segments, now));
    }
    return Ok();
  });
}

Result<std::vector<AnswerCoding>> PostgresStore::ListCodings(const std::string& question,
                                                             const std::string& coder) const {
  return Read("cannot read codings", [&]() -> Result<std::vector<AnswerCoding>> {
    return ReadCodings(question, coder, "");
  });
}

Status PostgresStore::Reconcile(const Reconciliation& reconciliation) {
  std::vector<CodedSegment> after = NGO_TRY(internal::CheckReconciliation(reconciliation));
  return Write("cannot store the reconciliation", [&]() -> Status {
    Row row = NGO_TRY(LockSubmission(reconciliation.instance_id));
    std::vector<AnswerCoding> stored =
        NGO_TRY(ReadCodings(reconciliation.question, kReconciledCoder, reconciliation.instance_id));
    std::vector<CodedSegment> before =
        stored.empty() ? std::vector<CodedSegment>() : stored.front().segments;
    if (before == after) {
      return MakeError("ST007", "the reconciled codes of " + reconciliation.instance_id + " / " +
                                    reconciliation.question + " are already these");
    }
    int64_t now = options_.clock->NowMillis();
    NGO_TRY(AppendAudit({internal::ReconciliationEntry(reconciliation, before, after, now)}));
    return ReplaceCodings(row.id, reconciliation.question, kReconciledCoder, after, now);
  });
}

Status PostgresStore::ReplaceCodings(int64_t submission_id, const std::string& question,
                                     const std::string& coder,
                                     const std::vector<CodedSegment>& segments, int64_t now) {
  NGO_TRY(
      conn_->Query("DELETE FROM codings WHERE question = $1::text AND submission_id = $2::bigint "
                   "AND coder = $3::text",
                   Params().Text(question).Int(submission_id).Text(coder), "cannot store codings"));
  for (const CodedSegment& s : segments) {
    NGO_TRY(conn_->Query(
        "INSERT INTO codings(submission_id, question, coder, code, start_cp, end_cp, "
        "coded_at_ms) VALUES($1::bigint, $2::text, $3::text, $4::text, $5::bigint, $6::bigint, "
        "$7::bigint)",
        Params()
            .Int(submission_id)
            .Text(question)
            .Text(coder)
            .Text(s.code)
            .OptionalInt(s.start)
            .OptionalInt(s.end)
            .Int(now),
        "cannot store codings"));
  }
  return Ok();
}

Result<std::vector<AnswerCoding>> PostgresStore::ReadCodings(const std::string& question,
                                                             const std::string& coder,
                                                             const std::string& instance_id) const {
  auto rows = NGO_TRY(conn_->Query(
      "SELECT s.instance_id, c.coder, c.code, c.start_cp, c.end_cp, c.coded_at_ms "
      "FROM codings c JOIN submissions s ON s.id = c.submission_id "
      "WHERE c.question = $1::text AND ($2::text = '' OR c.coder = $2::text) "
      "AND ($3::text = '' OR s.instance_id = $3::text) ORDER BY s.instance_id, c.coder",
      Params().Text(question).Text(coder).Text(instance_id), "cannot read codings"));
  std::vector<AnswerCoding> out;
  for (int i = 0; i < rows.size(); ++i) {
    std::string_view instance = rows.View(i, 0);
    std::string_view by = rows.View(i, 1);
    if (out.empty() || out.back().instance_id != instance || out.back().coder != by) {
      AnswerCoding c;
      c.instance_id = std::string(instance);
      c.question = question;
      c.coder = std::string(by);
      c.coded_at_ms = rows.Int(i, 5);
      out.push_back(std::move(c));
    }
    CodedSegment s;
    s.code = rows.Text(i, 2);
    if (!rows.IsNull(i, 3)) {
      s.start = rows.Int(i, 3);
      s.end = rows.Int(i, 4);
    }
    out.back().segments.push_back(std::move(s));
  }
  for (AnswerCoding& c : out) std::sort(c.segments.begin(), c.segments.end());
  return out;
}

}  // namespace ngosurvey::store::postgres
