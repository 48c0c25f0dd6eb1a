// The SQLite back end's schema: what an existing file must be before the store
// opens it. The scripts and migrations themselves are in schema.cpp (MigrationSql
// and kSchemaVersion in sqlite_store_internal.h; the format in
// docs/formats/sqlite-schema.md). Private to store/sqlite/.
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace ngosurvey::store::sqlite {

// What the read-only inspection of an existing file found.
struct Inspection {
  bool empty = false;  // a SQLite file with nothing in it: safe to initialise
  int64_t user_version = 0;
};

// Looks at an existing, non-empty file through a read-only connection, so that a
// file we must refuse is never written to: IO102 not a store (or another program's
// database), IO103 a newer schema, IO105 damaged (with check_integrity_on_open).
Result<Inspection> Inspect(const std::string& path, const OpenOptions& options);

}  // namespace ngosurvey::store::sqlite
