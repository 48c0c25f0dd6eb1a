#include "server/publish.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/testing/source_dir.h"
#include "store/store.h"

namespace ngosurvey::server {
namespace {

const std::string kSource = ::ngosurvey::testing::SourceDir();

TEST(Publish, MediaReferencesAreTheJrFileNames) {
  std::string xform =
      "<value form=\"image\">jr://images/logo.png</value><value>jr://audio/q1.mp3</value>"
      "<value form=\"image\">jr://images/logo.png</value>"
      "<instance id=\"c\" src=\"jr://file-csv/sites.csv\"/><value>jr://video/</value>";
  EXPECT_EQ(MediaReferences(xform), (std::vector<std::string>{"logo.png", "q1.mp3", "sites.csv"}));
  EXPECT_TRUE(MediaReferences("<h:html/>").empty());
}

TEST(Publish, ExampleFormGivesItsXFormAndStoresOnce) {
  Diagnostics diags;
  auto publication = PreparePublication(kSource + "/examples/ngo_profile.xlsx", &diags);
  ASSERT_TRUE(publication) << publication.error().ToString();
  EXPECT_EQ(publication->workbook.form_id, "ngo_profile");
  EXPECT_FALSE(publication->workbook.version.empty());
  EXPECT_EQ(publication->published.version, publication->workbook.version);
  EXPECT_NE(publication->published.xform.find("<h:html"), std::string::npos);
  EXPECT_NE(publication->published.xform.find("id=\"ngo_profile\""), std::string::npos);

  auto db = store::OpenStore("memory:");
  ASSERT_TRUE(db);
  EXPECT_EQ(*(*db)->PublishForm(publication->workbook, publication->published),
            store::PublishOutcome::kPublished);
  EXPECT_EQ(*(*db)->PublishForm(publication->workbook, publication->published),
            store::PublishOutcome::kUnchanged);
}

TEST(Publish, RefusesAFormWithErrorsOrWithoutAFile) {
  Diagnostics diags;
  auto missing = PreparePublication(kSource + "/examples/no_such_form.xlsx", &diags);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code.substr(0, 2), "IO");
}

}  // namespace
}  // namespace ngosurvey::server
