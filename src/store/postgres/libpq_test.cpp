// libpq loaded on demand (libpq_internal.h): the table resolved from the real library,
// once, and the errors when a library cannot be loaded or is not libpq. No server needed.
#include <gtest/gtest.h>

#include <string>

#include "store/postgres/libpq_internal.h"

namespace ngosurvey::store::postgres {
namespace {

TEST(LibPq, LoadsOnceAndCallsTheRealLibrary) {
  Result<const LibPq*> first = LoadLibPq();
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  Result<const LibPq*> second = LoadLibPq();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*first, *second);
  const LibPq& pq = **first;
  // libpq documents these answers for a null connection and a null result.
  EXPECT_EQ(pq.PQstatus(nullptr), CONNECTION_BAD);
  EXPECT_EQ(pq.PQresultStatus(nullptr), PGRES_FATAL_ERROR);
  EXPECT_EQ(pq.PQtransactionStatus(nullptr), PQTRANS_UNKNOWN);
  EXPECT_EQ(pq.PQntuples(nullptr), 0);
}

TEST(LibPq, MissingLibraryIsIo109NamingIt) {
  LibPq pq;
  Status loaded = LoadLibPqFrom("libngosurvey-no-such-library.so.5", pq);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, "IO109");
  EXPECT_NE(loaded.error().message.find("libngosurvey-no-such-library.so.5"), std::string::npos)
      << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("libpq5"), std::string::npos) << loaded.error().message;
  EXPECT_EQ(pq.PQconnectdbParams, nullptr);  // the table is left as it was
}

TEST(LibPq, LibraryWithoutLibpqsFunctionsIsIo109NamingTheFunction) {
  LibPq pq;
  Status loaded = LoadLibPqFrom("libz.so.1", pq);  // loadable, but not libpq
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, "IO109");
  EXPECT_NE(loaded.error().message.find("libz.so.1"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("has no function PQconnectdbParams"), std::string::npos)
      << loaded.error().message;
  EXPECT_EQ(pq.PQstatus, nullptr);
}

}  // namespace
}  // namespace ngosurvey::store::postgres
