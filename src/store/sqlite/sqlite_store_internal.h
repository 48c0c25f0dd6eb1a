// The SQLite back end: one file per store, WAL journal, synchronous=FULL, foreign
// keys on, schema versions in PRAGMA user_version and the schema_migrations table,
// and PRAGMA application_id = kApplicationId so that other files are refused.
// The schema and the audit hash format are documented in
// docs/formats/sqlite-schema.md. Private to store/: use OpenStore(path).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/store.h"

namespace ngosurvey::store::sqlite {

// "NGOS" in ASCII; stored at offset 68 of the database header.
inline constexpr int32_t kApplicationId = 0x4E474F53;

// The schema version this build writes and reads. A store with a higher
// user_version is refused (IO103); a lower one is migrated when opened read-write.
inline constexpr int kSchemaVersion = 13;

// The SQL script of migration `version` (1..kSchemaVersion), for tests that build
// a store as an older ngosurvey left it.
const char* MigrationSql(int version);

// Opens or creates the store in `path`; see OpenStore() in store/store.h.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const OpenOptions& options);

}  // namespace ngosurvey::store::sqlite
