// libmicrohttpd loaded on demand (microhttpd_internal.h): the table resolved from the
// real library, once, and the errors when a library cannot be loaded or is not
// libmicrohttpd. Starting a server through the table is what server_test.cpp does.
#include <gtest/gtest.h>

#include <string>

#include "server/microhttpd_internal.h"

namespace ngosurvey::server {
namespace {

TEST(Microhttpd, LoadsOnceWithEveryFunction) {
  Result<const Microhttpd*> first = LoadMicrohttpd();
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  Result<const Microhttpd*> second = LoadMicrohttpd();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*first, *second);
  const Microhttpd& mhd = **first;
  EXPECT_NE(mhd.MHD_start_daemon, nullptr);
  EXPECT_NE(mhd.MHD_destroy_response, nullptr);
  // A response made and freed through the table: the library answers.
  char body[] = "ok";
  MHD_Response* response = mhd.MHD_create_response_from_buffer(2, body, MHD_RESPMEM_MUST_COPY);
  ASSERT_NE(response, nullptr);
  EXPECT_EQ(mhd.MHD_add_response_header(response, "X-Test", "1"), MHD_YES);
  mhd.MHD_destroy_response(response);
}

TEST(Microhttpd, MissingLibraryIsSv025NamingIt) {
  Microhttpd mhd;
  Status loaded = LoadMicrohttpdFrom("libngosurvey-no-such-library.so.12", mhd);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, "SV025");
  EXPECT_NE(loaded.error().message.find("libngosurvey-no-such-library.so.12"), std::string::npos)
      << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("libmicrohttpd12"), std::string::npos)
      << loaded.error().message;
  EXPECT_EQ(mhd.MHD_start_daemon, nullptr);  // the table is left as it was
}

TEST(Microhttpd, LibraryWithoutItsFunctionsIsSv025NamingTheFunction) {
  Microhttpd mhd;
  Status loaded = LoadMicrohttpdFrom("libz.so.1", mhd);  // loadable, but not libmicrohttpd
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, "SV025");
  EXPECT_NE(loaded.error().message.find("has no function MHD_start_daemon"), std::string::npos)
      << loaded.error().message;
  EXPECT_EQ(mhd.MHD_free, nullptr);
}

}  // namespace
}  // namespace ngosurvey::server
