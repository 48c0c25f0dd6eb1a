// The SQLite store's codings of open answers (store/codings.h): one `codings` row per
// code and segment of an answer by a coder, the reconciled codes under coder
// "(reconciled)" with an audit entry per change. Part of SqliteStore
// (sqlite_store_impl_internal.h); the table is schema version 5.
#include <algorithm>

#include "store/codings_internal.h"
#include "store/sqlite/sqlite_store_impl_internal.h"

namespace ngosurvey::store::sqlite {

Status SqliteStore::PutCodings(const std::vector<AnswerCoding>& codings) {
  std::vector<AnswerCoding> checked = NGO_TRY(internal::CheckCodings(codings));
  return Write("cannot store codings", [&]() -> Status {
    int64_t now = options_.clock->NowMillis();
    for (const AnswerCoding& c : checked) {
      Row row = NGO_TRY(FindSubmission(c.instance_id));
      NGO_TRY(ReplaceCodings(row.id, c.question, c.coder, c.segments, now));
    }
    return Ok();
  });
}

Result<std::vector<AnswerCoding>> SqliteStore::ListCodings(const std::string& question,
                                                           const std::string& coder) const {
  return Read("cannot read codings", [&]() -> Result<std::vector<AnswerCoding>> {
    return ReadCodings(question, coder, "");
  });
}

Status SqliteStore::Reconcile(const Reconciliation& reconciliation) {
  std::vector<CodedSegment> after = NGO_TRY(internal::CheckReconciliation(reconciliation));
  return Write("cannot store the reconciliation", [&]() -> Status {
    Row row = NGO_TRY(FindSubmission(reconciliation.instance_id));
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

Status SqliteStore::ReplaceCodings(int64_t submission_id, const std::string& question,
                                   const std::string& coder,
                                   const std::vector<CodedSegment>& segments, int64_t now) {
  auto clear = NGO_TRY(conn_->Prepare(
      "DELETE FROM codings WHERE question = ?1 AND submission_id = ?2 AND coder = ?3"));
  clear.Bind(1, question).Bind(2, submission_id).Bind(3, coder);
  NGO_TRY(conn_->StepRow(clear, "cannot store codings"));
  for (const CodedSegment& s : segments) {
    auto add = NGO_TRY(conn_->Prepare(
        "INSERT INTO codings(submission_id, question, coder, code, start_cp, end_cp, coded_at_ms) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    add.Bind(1, submission_id).Bind(2, question).Bind(3, coder).Bind(4, s.code).Bind(7, now);
    if (s.start) {
      add.Bind(5, *s.start).Bind(6, *s.end);
    } else {
      add.BindNull(5).BindNull(6);
    }
    NGO_TRY(conn_->StepRow(add, "cannot store codings"));
  }
  return Ok();
}

Result<std::vector<AnswerCoding>> SqliteStore::ReadCodings(const std::string& question,
                                                           const std::string& coder,
                                                           const std::string& instance_id) const {
  auto list = NGO_TRY(conn_->Prepare(
      "SELECT s.instance_id, c.coder, c.code, c.start_cp, c.end_cp, c.coded_at_ms "
      "FROM codings c JOIN submissions s ON s.id = c.submission_id "
      "WHERE c.question = ?1 AND (?2 = '' OR c.coder = ?2) AND (?3 = '' OR s.instance_id = ?3) "
      "ORDER BY s.instance_id, c.coder"));
  list.Bind(1, question).Bind(2, coder).Bind(3, instance_id);
  std::vector<AnswerCoding> out;
  NGO_TRY(conn_->EachRow(list, "cannot read codings", [&] {
    std::string instance = list.Text(0);
    std::string by = list.Text(1);
    if (out.empty() || out.back().instance_id != instance || out.back().coder != by) {
      AnswerCoding c;
      c.instance_id = std::move(instance);
      c.question = question;
      c.coder = std::move(by);
      c.coded_at_ms = list.Int(5);
      out.push_back(std::move(c));
    }
    CodedSegment s;
    s.code = list.Text(2);
    if (!list.IsNull(3)) {
      s.start = list.Int(3);
      s.end = list.Int(4);
    }
    out.back().segments.push_back(std::move(s));
  }));
  for (AnswerCoding& c : out) std::sort(c.segments.begin(), c.segments.end());
  return out;
}

}  // namespace ngosurvey::store::sqlite
