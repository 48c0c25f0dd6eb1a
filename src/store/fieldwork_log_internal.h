// What both back ends share for the fieldwork log (fieldwork_log.h): request checks
// and the comparison of a stored frame entry with an imported one. Private to store/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/fieldwork_log.h"

namespace ngosurvey::store::internal {

// ST001 for an empty or duplicate org_id, or an extra column named like a
// standard column.
Status CheckFrameImport(const FrameImport& import);

// ST001 for a malformed date or appointment (YYYY-MM-DD, a real calendar date), an
// unknown mode or an empty outcome or org_id.
Status CheckContact(const ContactRecord& contact);

// A stored entry updated by an imported row: the columns the import has take the
// imported values, the others keep the stored ones (a re-import of a file with
// fewer columns blanks nothing). `*changed` gets the names of the columns whose
// value changed, in column order ("country"/"stratum" for the grouping value).
// position and updated_at_ms are the stored ones.
FrameEntry MergeEntry(const FrameEntry& stored, const FrameEntry& imported,
                      const FrameImport& import, std::vector<std::string>* changed);

// `entry` with every column of `columns` present in `extra`, in that order (values
// "" when absent).
FrameEntry WithColumns(FrameEntry entry, const std::vector<std::string>& columns);

// `existing` followed by the names of `more` it does not have yet.
std::vector<std::string> MergeColumns(std::vector<std::string> existing,
                                      const std::vector<std::string>& more);

}  // namespace ngosurvey::store::internal
