// The PostgreSQL back end: one database (or one schema of it, chosen by the
// connection's search_path) per store, for a central server that several
// processes and machines share. The schema mirrors the SQLite one (the same schema
// version numbers, the same packed answers and audit hash chain); it is documented
// in docs/store.md. Private to store/: use OpenStore("postgresql://...").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace ngosurvey::store::postgres {

// "NGOS" in ASCII, as the SQLite store's application_id: kept in the
// ngosurvey_store table so that other databases are refused.
inline constexpr int32_t kApplicationId = 0x4E474F53;

// The schema version this build writes and reads: the SQLite store's number, so
// that both back ends take each migration under the same version.
inline constexpr int kSchemaVersion = 13;

// True for a location this back end opens: "postgresql://..." or "postgres://...".
bool IsPostgresLocation(std::string_view location);

// Opens the store in the database at `location`, creating its tables in an empty
// database (unless read-only or !create_if_missing) and migrating an older one;
// see OpenStore() in store/store.h.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& location,
                                                 const OpenOptions& options);

}  // namespace ngosurvey::store::postgres
