#include "server/credentials.h"

#include <gtest/gtest.h>

namespace ngosurvey::server {
namespace {

TEST(Credentials, HashesWithArgon2idAndVerifies) {
  auto hash = HashPassword("correct horse");
  ASSERT_TRUE(hash) << hash.error().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horsf"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse"));
  // Salted: the same password twice gives two hashes.
  EXPECT_NE(*hash, *HashPassword("correct horse"));
}

TEST(Credentials, RefusesShortLongAndNonUtf8Passwords) {
  for (std::string bad : {std::string(""), std::string("seven77"), std::string(1025, 'x'),
                          std::string("abcdefgh\xff")}) {
    auto hash = HashPassword(bad);
    ASSERT_FALSE(hash) << bad.size();
    EXPECT_EQ(hash.error().code, "SV001");
  }
  // Eight characters, not eight bytes: three Khmer letters and five digits pass.
  EXPECT_TRUE(
      CheckPassword("\xe1\x9e\x80\xe1\x9e\x81\xe1\x9e\x82"
                    "12345"));
}

TEST(Credentials, Ha1IsRfc2617sExample) {
  // RFC 2617 section 3.5: Mufasa, testrealm@host.com, "Circle Of Life".
  EXPECT_EQ(DigestHa1("Mufasa", "testrealm@host.com", "Circle Of Life"),
            "939e7578ed9e3c518a452acee763bce9");
}

TEST(Credentials, NewUserCarriesRoleFormsAndBothSecrets) {
  auto user =
      NewUser("sokha", store::Role::kInterviewer, {"ngo_profile"}, "long password", "field");
  ASSERT_TRUE(user) << user.error().ToString();
  EXPECT_FALSE(user->all_forms);
  EXPECT_EQ(user->forms, std::vector<std::string>{"ngo_profile"});
  EXPECT_EQ(user->digest_realm, "field");
  EXPECT_EQ(user->digest_ha1, DigestHa1("sokha", "field", "long password"));
  EXPECT_TRUE(VerifyPassword(user->password_hash, "long password"));
  auto bad_name = NewUser("so kha", store::Role::kAdmin, {}, "long password");
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.error().code, "ST001");
}

}  // namespace
}  // namespace ngosurvey::server
