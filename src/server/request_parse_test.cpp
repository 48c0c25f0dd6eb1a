#include "server/request_parse.h"

#include <gtest/gtest.h>

#include "server/routes.h"
#include "server/static_files.h"

namespace ngosurvey::server {
namespace {

TEST(CookieValue, FindsTheNamedCookieAsBrowsersSendThem) {
  EXPECT_EQ(CookieValue("ngosurvey_session=abc", "ngosurvey_session"), "abc");
  EXPECT_EQ(CookieValue("theme=dark; ngosurvey_session=abc;lang=km", "ngosurvey_session"), "abc");
  EXPECT_EQ(CookieValue("a=1;  ngosurvey_session = \"q v\" ", "ngosurvey_session"), "q v");
  EXPECT_EQ(CookieValue("ngosurvey_session=first; ngosurvey_session=second", "ngosurvey_session"),
            "first");
  EXPECT_EQ(CookieValue("ngosurvey_session=", "ngosurvey_session"), "");
  EXPECT_EQ(CookieValue("xngosurvey_session=abc; ngosurvey_sessionx=d", "ngosurvey_session"),
            std::nullopt);
  EXPECT_EQ(CookieValue("", "ngosurvey_session"), std::nullopt);
  EXPECT_EQ(CookieValue(";;=;", "ngosurvey_session"), std::nullopt);
}

TEST(ParseUrlEncoded, DecodesFormFieldsAsBrowsersEncodeThem) {
  auto fields = ParseUrlEncoded("User=l%C3%A2n&Password=a+b%26c%3D&User=other&empty=&flag");
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->at("User"), "l\xc3\xa2n");  // the first of repeated names
  EXPECT_EQ(fields->at("Password"), "a b&c=");
  EXPECT_EQ(fields->at("empty"), "");
  EXPECT_EQ(fields->at("flag"), "");
  EXPECT_EQ(ParseUrlEncoded("a=%zz"), std::nullopt);
  EXPECT_EQ(ParseUrlEncoded("a=%4"), std::nullopt);
  EXPECT_EQ(ParseUrlEncoded("a=%ff"), std::nullopt) << "not UTF-8";
  EXPECT_TRUE(ParseUrlEncoded("")->empty());
}

TEST(WebRootPaths, OnlyPlainRelativePathsAreSafe) {
  for (const char* good : {"index.html", "sub/style.css", "fonts/NotoSansKhmer.woff2", "a..b"}) {
    EXPECT_TRUE(IsSafeRelativePath(good)) << good;
  }
  for (const char* bad : {"", "..", "../x", "sub/../../x", "./x", "sub/.", ".git/config", "a//b",
                          "/etc/passwd", "a\\..\\b", "a/", "x\x01y"}) {
    EXPECT_FALSE(IsSafeRelativePath(bad)) << bad;
  }
  EXPECT_FALSE(IsSafeRelativePath(std::string_view("a\0b", 3)));
}

TEST(WebRootPaths, TypesByExtension) {
  EXPECT_EQ(ContentTypeFor("engine.wasm"), "application/wasm");
  EXPECT_EQ(ContentTypeFor("web/app.MJS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("f.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("noext"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor(".bashrc"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.wasm/file"), "application/octet-stream");
}

TEST(RoutePatterns, MatchLiteralsParametersAndTheRest) {
  RouteParams p;
  EXPECT_TRUE(MatchRoutePattern("/api/v1/forms/{form_id}/submissions",
                                "/api/v1/forms/ngo_staff/submissions", &p));
  EXPECT_EQ(p.at("form_id"), "ngo_staff");
  EXPECT_FALSE(
      MatchRoutePattern("/api/v1/forms/{form_id}/submissions", "/api/v1/forms//submissions", &p));
  EXPECT_FALSE(MatchRoutePattern("/api/v1/forms/{form_id}", "/api/v1/forms/a/b", &p));
  EXPECT_TRUE(MatchRoutePattern("/web/{path*}", "/web/fonts/km.woff2", &p));
  EXPECT_EQ(p.at("path"), "fonts/km.woff2");
  EXPECT_FALSE(MatchRoutePattern("/web/{path*}", "/web", &p));
  EXPECT_TRUE(MatchRoutePattern("/", "/", &p));
  EXPECT_FALSE(MatchRoutePattern("/", "/x", &p));
  EXPECT_FALSE(MatchRoutePattern("/formList", "/formlist", &p));
}

}  // namespace
}  // namespace ngosurvey::server
