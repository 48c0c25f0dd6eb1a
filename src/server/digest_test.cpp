#include "server/digest.h"

#include <gtest/gtest.h>

#include "server/credentials.h"

namespace ngosurvey::server {
namespace {

TEST(Digest, ResponseAsRfc2617Example) {
  // RFC 2617 section 3.5: Mufasa, "Circle Of Life", GET /dir/index.html.
  std::string ha1 = DigestHa1("Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(DigestResponse(ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b",
                           "auth", "GET", "/dir/index.html"),
            "6629fae49393a05397450978507c4ef1");
}

TEST(Digest, ParsesAuthorizationHeaders) {
  auto p = ParseDigestAuthorization(
      "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"abc\", "
      "uri=\"/dir/index.html?x=1\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
      "Response=\"6629fae4\", opaque=\"q\\\"uote\"");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->at("username"), "Mufasa");
  EXPECT_EQ(p->at("qop"), "auth");
  EXPECT_EQ(p->at("response"), "6629fae4");
  EXPECT_EQ(p->at("opaque"), "q\"uote");
  EXPECT_EQ(p->at("uri"), "/dir/index.html?x=1");
  for (const char* bad : {"Basic abc", "Digest ", "Digest username", "Digest a=\"open",
                          "Digest a=1 b=2", "Digest a=1, a=2"}) {
    EXPECT_FALSE(ParseDigestAuthorization(bad)) << bad;
  }
}

// A client answering the challenge as ODK Collect does.
std::map<std::string, std::string> Answer(const std::string& challenge, const std::string& user,
                                          const std::string& password, const std::string& method,
                                          const std::string& uri, const std::string& nc) {
  auto params = ParseDigestAuthorization(challenge);
  EXPECT_TRUE(params);
  std::string ha1 = DigestHa1(user, params->at("realm"), password);
  std::map<std::string, std::string> out = {{"username", user},
                                            {"realm", params->at("realm")},
                                            {"nonce", params->at("nonce")},
                                            {"uri", uri},
                                            {"qop", "auth"},
                                            {"nc", nc},
                                            {"cnonce", "c0ffee"},
                                            {"algorithm", "MD5"}};
  out["response"] = DigestResponse(ha1, out["nonce"], nc, out["cnonce"], "auth", method, uri);
  return out;
}

TEST(Digest, EveryChallengeHasItsOwnNonceAndCountsCannotBeReplayed) {
  DigestAuth auth("ngosurvey", 300);
  std::string ha1 = DigestHa1("sokha", "ngosurvey", "sokha-secret-1");
  std::string first = auth.Challenge(1000, false);
  std::string second = auth.Challenge(1000, false);
  EXPECT_NE(ParseDigestAuthorization(first)->at("nonce"),
            ParseDigestAuthorization(second)->at("nonce"))
      << "two challenges in the same second";
  using O = DigestAuth::Outcome;
  auto a = Answer(first, "sokha", "sokha-secret-1", "POST", "/submission", "00000001");
  auto b = Answer(second, "sokha", "sokha-secret-1", "POST", "/submission", "00000001");
  EXPECT_EQ(auth.Check(a, "POST", "/submission", ha1, 1001), O::kOk);
  EXPECT_EQ(auth.Check(b, "POST", "/submission", ha1, 1001), O::kOk) << "the other client";
  EXPECT_EQ(auth.Check(a, "POST", "/submission", ha1, 1002), O::kStale) << "nc replayed";
  auto a2 = Answer(first, "sokha", "sokha-secret-1", "POST", "/submission", "00000002");
  EXPECT_EQ(auth.Check(a2, "POST", "/submission", ha1, 1002), O::kOk);
  auto wrong = Answer(auth.Challenge(1000, false), "sokha", "guess", "POST", "/submission", "1");
  EXPECT_EQ(auth.Check(wrong, "POST", "/submission", ha1, 1001), O::kWrong);
  auto late = Answer(auth.Challenge(1000, false), "sokha", "sokha-secret-1", "GET", "/formList",
                     "00000001");
  EXPECT_EQ(auth.Check(late, "GET", "/formList", ha1, 1301), O::kStale) << "expired";
  EXPECT_EQ(auth.Check(late, "GET", "/other", ha1, 1001), O::kMalformed) << "another URI";
  DigestAuth other("ngosurvey", 300);
  auto foreign = Answer(other.Challenge(1000, false), "sokha", "sokha-secret-1", "GET", "/formList",
                        "00000001");
  EXPECT_EQ(auth.Check(foreign, "GET", "/formList", ha1, 1001), O::kStale)
      << "another server's nonce";
  EXPECT_NE(auth.Challenge(1000, true).find("stale=true"), std::string::npos);
}

}  // namespace
}  // namespace ngosurvey::server
