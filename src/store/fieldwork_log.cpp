#include <set>

#include "base/date.h"
#include "store/fieldwork_log_internal.h"

namespace ngosurvey::store::internal {
namespace {

constexpr std::string_view kStandardColumns[] = {
    "org_id", "name", "country", "stratum", "address", "contact_person", "disposition"};

std::string ExtraValue(const FrameEntry& entry, std::string_view column) {
  for (const auto& [name, value] : entry.extra) {
    if (name == column) return value;
  }
  return "";
}

}  // namespace

Status CheckFrameImport(const FrameImport& import) {
  if (import.stratum_column != "country" && import.stratum_column != "stratum") {
    return MakeError("ST001", "the frame's grouping column must be 'country' or 'stratum', not '" +
                                  import.stratum_column + "'");
  }
  for (const std::string& column : import.extra_columns) {
    for (std::string_view standard : kStandardColumns) {
      if (column == standard) {
        return MakeError("ST001", "extra frame column '" + column + "' is a standard column");
      }
    }
  }
  std::set<std::string_view> seen;
  for (const FrameEntry& entry : import.entries) {
    if (entry.org_id.empty()) return MakeError("ST001", "frame entry with an empty org_id");
    if (!seen.insert(entry.org_id).second) {
      return MakeError("ST001", "org_id '" + entry.org_id + "' appears twice in the import");
    }
  }
  return Ok();
}

Status CheckContact(const ContactRecord& contact) {
  if (contact.org_id.empty()) return MakeError("ST001", "contact without an org_id");
  if (!date::IsIsoDate(contact.date)) {
    return MakeError("ST001", "contact date '" + contact.date + "' is not a date (YYYY-MM-DD)");
  }
  if (contact.appointment && !date::IsIsoDate(*contact.appointment)) {
    return MakeError("ST001",
                     "appointment '" + *contact.appointment + "' is not a date (YYYY-MM-DD)");
  }
  if (contact.mode != "visit" && contact.mode != "phone" && contact.mode != "email" &&
      contact.mode != "letter") {
    return MakeError(
        "ST001", "contact mode '" + contact.mode + "' is not one of visit, phone, email, letter");
  }
  if (contact.outcome.empty()) return MakeError("ST001", "contact without an outcome");
  if (contact.disposition.empty()) return MakeError("ST001", "contact without a disposition code");
  return Ok();
}

FrameEntry MergeEntry(const FrameEntry& stored, const FrameEntry& imported,
                      const FrameImport& import, std::vector<std::string>* changed) {
  FrameEntry merged = stored;
  auto take = [&](const char* column, std::string FrameEntry::*field) {
    if (stored.*field != imported.*field) {
      changed->push_back(column);
      merged.*field = imported.*field;
    }
  };
  take("name", &FrameEntry::name);
  take(import.stratum_column.c_str(), &FrameEntry::stratum);
  if (import.has_address_column) take("address", &FrameEntry::address);
  if (import.has_contact_person_column) take("contact_person", &FrameEntry::contact_person);
  if (import.has_disposition_column) take("disposition", &FrameEntry::disposition);
  for (const std::string& column : import.extra_columns) {
    std::string value = ExtraValue(imported, column);
    bool found = false;
    for (auto& [name, old] : merged.extra) {
      if (name != column) continue;
      found = true;
      if (old != value) {
        changed->push_back(column);
        old = value;
      }
    }
    if (!found) {
      if (!value.empty()) changed->push_back(column);
      merged.extra.emplace_back(column, value);
    }
  }
  return merged;
}

FrameEntry WithColumns(FrameEntry entry, const std::vector<std::string>& columns) {
  std::vector<std::pair<std::string, std::string>> extra;
  for (const std::string& column : columns) extra.emplace_back(column, ExtraValue(entry, column));
  entry.extra = std::move(extra);
  return entry;
}

std::vector<std::string> MergeColumns(std::vector<std::string> existing,
                                      const std::vector<std::string>& more) {
  for (const std::string& name : more) {
    bool have = false;
    for (const std::string& e : existing) have = have || e == name;
    if (!have) existing.push_back(name);
  }
  return existing;
}

}  // namespace ngosurvey::store::internal
