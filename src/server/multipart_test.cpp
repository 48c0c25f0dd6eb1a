#include "server/multipart.h"

#include <gtest/gtest.h>

namespace ngosurvey::server {
namespace {

using namespace std::string_literals;

// What ODK Collect sends (okhttp's MultipartBody): CRLF line ends, a UUID boundary.
// (A std::string literal: the photo holds a NUL byte.)
const std::string kCollectBody =
    "--7c3a\r\n"
    "Content-Disposition: form-data; name=\"xml_submission_file\"; filename=\"s.xml\"\r\n"
    "Content-Type: text/xml\r\n"
    "Content-Length: 15\r\n"
    "\r\n"
    "<data id=\"x\"/>\n"
    "\r\n"
    "--7c3a\r\n"
    "Content-Disposition: form-data; name=\"photo.jpg\"; filename=\"photo.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n"
    "\xff\xd8\xff\r\n--7c3\x00\xff\xd9\r\n"
    "--7c3a\r\n"
    "Content-Disposition: form-data; name=\"*isIncomplete*\"\r\n"
    "\r\n"
    "yes\r\n"
    "--7c3a--\r\n"s;

TEST(Multipart, ReadsCollectsSubmission) {
  std::string body(kCollectBody.data(), kCollectBody.size());
  auto parts = ParseMultipart(body, "7c3a");
  ASSERT_TRUE(parts) << parts.error().ToString();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "xml_submission_file");
  EXPECT_EQ((*parts)[0].filename, "s.xml");
  EXPECT_EQ((*parts)[0].content_type, "text/xml");
  EXPECT_EQ((*parts)[0].content, "<data id=\"x\"/>\n");
  EXPECT_EQ((*parts)[1].filename, "photo.jpg");
  // Binary content, including a CRLF and a near-boundary, is kept byte for byte.
  EXPECT_EQ((*parts)[1].content, std::string_view("\xff\xd8\xff\r\n--7c3\x00\xff\xd9", 13));
  EXPECT_EQ((*parts)[2].filename, "");
  EXPECT_EQ((*parts)[2].content_type, "text/plain");
  EXPECT_EQ((*parts)[2].content, "yes");
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=7c3a"), "7c3a");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data;boundary=\"a b;c\"; charset=utf-8"), "a b;c");
  for (const char* bad : {"text/xml", "multipart/form-data", "multipart/form-data; boundary=",
                          "multipart/form-data; boundary=\"unterminated"}) {
    auto b = MultipartBoundary(bad);
    ASSERT_FALSE(b) << bad;
    EXPECT_EQ(b.error().code, "SV010");
  }
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')));
}

TEST(Multipart, PreambleBareLineEndsQuotesAndExtendedFileNames) {
  std::string body =
      "preamble to ignore\n"
      "--b\n"
      "content-disposition: form-data; name=\"a\\\"q\"; filename*=UTF-8''%E1%9E%80.jpg\n"
      "\n"
      "x\n"
      "--b--";
  auto parts = ParseMultipart(body, "b");
  ASSERT_TRUE(parts) << parts.error().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "a\"q");
  EXPECT_EQ((*parts)[0].filename, "\xe1\x9e\x80.jpg");
  EXPECT_EQ((*parts)[0].content, "x");
}

TEST(Multipart, TruncatedOrMalformedBodiesNameThePlace) {
  auto expect_error = [](const std::string& body, const std::string& words) {
    auto parts = ParseMultipart(body, "b");
    ASSERT_FALSE(parts) << body;
    EXPECT_EQ(parts.error().code, "SV010");
    EXPECT_NE(parts.error().message.find(words), std::string::npos) << parts.error().message;
  };
  const std::string head = "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n";
  expect_error("", "no opening boundary");
  expect_error(head + "data cut here", "part 1 (\"f\"): truncated (no closing boundary)");
  expect_error("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n",
               "part 1: truncated headers");
  expect_error("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "no Content-Disposition");
  expect_error("--b\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nx\r\n--b--",
               "not form-data");
  expect_error("--b\r\nno colon here\r\n\r\nx\r\n--b--", "without a name");
  expect_error("--b", "ends after a boundary");
  expect_error(head + "x\r\n--bX", "not followed by a line end");
  std::string many;
  for (int i = 0; i < 3; ++i) many += head + "x\r\n";
  many += "--b--";
  auto limited = ParseMultipart(many, "b", {2, 1024});
  ASSERT_FALSE(limited);
  EXPECT_NE(limited.error().message.find("more than 2 parts"), std::string::npos);
  auto long_headers =
      ParseMultipart("--b\r\nX-Long: " + std::string(2000, 'x') + "\r\n", "b", {10, 1024});
  ASSERT_FALSE(long_headers);
  EXPECT_NE(long_headers.error().message.find("headers longer than 1024"), std::string::npos);
}

}  // namespace
}  // namespace ngosurvey::server
