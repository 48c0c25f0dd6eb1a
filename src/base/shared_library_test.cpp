#include "base/shared_library.h"

#include <gtest/gtest.h>

#include <string>

namespace ngosurvey {
namespace {

TEST(SharedLibrary, ResolvesAndCallsAFunction) {
  auto library = SharedLibrary::Open("libz.so.1");
  ASSERT_TRUE(library.has_value()) << library.error();
  const char* (*version)() = nullptr;
  ASSERT_TRUE(library->Resolve("zlibVersion", version));
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(std::string(version()).substr(0, 2), "1.");
}

TEST(SharedLibrary, MissingFunctionLeavesTheSlotUnchanged) {
  auto library = SharedLibrary::Open("libz.so.1");
  ASSERT_TRUE(library.has_value()) << library.error();
  int (*function)() = nullptr;
  EXPECT_FALSE(library->Resolve("ngosurvey_no_such_function", function));
  EXPECT_EQ(function, nullptr);
  library->Close();
  EXPECT_FALSE(library->Resolve("zlibVersion", function));  // closed: nothing resolves
}

TEST(SharedLibrary, MissingLibraryGivesTheLoadersReason) {
  auto library = SharedLibrary::Open("libngosurvey-no-such-library.so.1");
  ASSERT_FALSE(library.has_value());
  EXPECT_NE(library.error().find("libngosurvey-no-such-library.so.1"), std::string::npos)
      << library.error();
}

}  // namespace
}  // namespace ngosurvey
