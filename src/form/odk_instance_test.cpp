#include "form/odk_instance.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "form/testing/form_rows.h"

namespace ngosurvey::form {
namespace {

using testing::MakeForm;

constexpr const char* kId = "uuid:6f1b5b4e-2a49-4c4e-9a43-2b9e1f6e1a01";

Form Survey() {
  auto form = MakeForm({{"type", "name", "label"},
                        {"start", "start", ""},
                        {"integer", "age", "Age"},
                        {"decimal", "budget", "Budget"},
                        {"date", "founded", "Founded"},
                        {"select_one yn", "consent", "Consent"},
                        {"select_multiple topics", "topics", "Topics"},
                        {"select_one yn or_other", "funded", "Funded"},
                        {"geopoint", "where", "Where"},
                        {"image", "photo", "Photo"},
                        {"text", "remarks", "Remarks"},
                        {"begin_group", "office", "Office"},
                        {"integer", "staff", "Staff"},
                        {"end_group", "", ""},
                        {"begin_repeat", "programs", "Programs"},
                        {"text", "name", "Name"},
                        {"begin_repeat", "sites", "Sites"},
                        {"text", "site", "Site"},
                        {"end_repeat", "", ""},
                        {"end_repeat", "", ""},
                        {"audit", "audit", ""}},
                       {{"list_name", "name", "label"},
                        {"yn", "yes", "Yes"},
                        {"yn", "no", "No"},
                        {"topics", "health", "Health"},
                        {"topics", "legal", "Legal"},
                        {"topics", "shelter", "Shelter"}},
                       {{"form_id", "version"}, {"ngo", "2024"}});
  EXPECT_TRUE(form.has_value());
  return *form;
}

std::string Instance(const std::string& body, const std::string& meta = "",
                     const std::string& root_attrs = R"(id="ngo" version="2024")") {
  return std::string("<?xml version='1.0' ?>\n<data ") + root_attrs +
         R"( xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">)" +
         "\n" + body + "\n<meta><instanceID>" + kId + "</instanceID>" + meta + "</meta></data>\n";
}

TEST(OdkInstance, ReadsAnswersGroupsRepeatsAndMeta) {
  Form form = Survey();
  std::string xml =
      Instance(R"(
<start>2024-03-01T10:00:00.000+07:00</start>
<age> 42 </age><budget>1200.5</budget><founded>2001-05-17</founded>
<consent>yes</consent><topics>health  shelter</topics><funded>other</funded>
<funded_other>a church</funded_other>
<where>11.55 104.91 12 5</where><photo>1710000000000.jpg</photo><remarks>  two  spaces </remarks>
<office><staff>12</staff></office>
<programs><name>Shelter</name><sites><site>Phnom Penh</site></sites><sites><site>Kampot</site></sites></programs>
<programs><name>Legal aid</name></programs>)",
               "<deprecatedID>uuid:00000000-0000-4000-8000-000000000000</deprecatedID>"
               "<instanceName>NGO 7</instanceName><audit>audit.csv</audit>");
  auto read = ReadOdkInstance(xml, form, {.file = "sub.xml"});
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  EXPECT_EQ(read->root, "data");
  EXPECT_EQ(read->form_id, "ngo");
  EXPECT_EQ(read->version, "2024");
  EXPECT_EQ(read->instance_id, kId);
  EXPECT_EQ(read->deprecated_id, "uuid:00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(read->instance_name, "NGO 7");
  EXPECT_FALSE(read->encrypted.has_value());
  const auto& a = read->answers;
  EXPECT_EQ(a.at("age"), Answer::Answered("42"));
  EXPECT_EQ(a.at("budget"), Answer::Answered("1200.5"));
  EXPECT_EQ(a.at("topics"), Answer::Answered("health  shelter"));
  EXPECT_EQ(a.at("funded_other"), Answer::Answered("a church"));
  EXPECT_EQ(a.at("remarks"), Answer::Answered("  two  spaces "));
  EXPECT_EQ(a.at("office/staff"), Answer::Answered("12"));
  EXPECT_EQ(a.at("programs[1]/name"), Answer::Answered("Shelter"));
  EXPECT_EQ(a.at("programs[1]/sites[2]/site"), Answer::Answered("Kampot"));
  EXPECT_EQ(a.at("programs[2]/name"), Answer::Answered("Legal aid"));
  EXPECT_EQ(a.count("programs[2]/sites[1]/site"), 0u);
  EXPECT_EQ(a.at("audit"), Answer::Answered("audit.csv"));
  EXPECT_EQ(read->attachments, (std::vector<std::string>{"1710000000000.jpg", "audit.csv"}));
}

TEST(OdkInstance, EmptyElementIsMissingAndCodesBecomeStates) {
  Form form = Survey();
  OdkInstanceOptions options;
  options.refused_codes = {"-99"};
  options.dont_know_codes = {"-98"};
  auto read =
      ReadOdkInstance(Instance("<age/><budget>-99</budget><consent>-98</consent>"), form, options);
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  EXPECT_EQ(read->answers.at("age"), Answer::Missing());
  EXPECT_EQ(read->answers.at("budget"), Answer::Refused());
  EXPECT_EQ(read->answers.at("consent"), Answer::DontKnow());
}

TEST(OdkInstance, SkipsTemplatesGeneratedAndKoboElements) {
  Form form = Survey();
  auto read = ReadOdkInstance(Instance(R"(<formhub><uuid>abc</uuid></formhub>
<programs jr:template=""><name>never</name></programs><__version__>vX</__version__>
<programs><name>One</name></programs>)",
                                       "<rootUuid>x</rootUuid>"),
                              form);
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  EXPECT_EQ(read->answers.at("programs[1]/name"), Answer::Answered("One"));
  EXPECT_EQ(read->answers.size(), 1u);
}

struct Bad {
  std::string name;
  std::string xml;
  std::string code;
  std::string message_part;
  int line = 0;
};

class OdkInstanceBad : public ::testing::TestWithParam<Bad> {};

TEST_P(OdkInstanceBad, IsRefusedWithCodeElementAndLine) {
  Form form = Survey();
  const Bad& bad = GetParam();
  auto read = ReadOdkInstance(bad.xml, form, {.file = "bad.xml"});
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, bad.code) << read.error().ToString();
  EXPECT_NE(read.error().message.find(bad.message_part), std::string::npos) << read.error().message;
  EXPECT_EQ(read.error().where.file, "bad.xml");
  if (bad.line > 0) {
    EXPECT_EQ(read.error().where.row, bad.line) << read.error().ToString();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, OdkInstanceBad,
    ::testing::Values(
        Bad{"NotInteger", Instance("<age>forty</age>"), "OI007",
            "/data/age: \"forty\" is not an integer", 3},
        Bad{"NotNumber", Instance("<budget>1,5</budget>"), "OI007", "/data/budget", 3},
        Bad{"NotDate", Instance("<founded>2001-02-30</founded>"), "OI007", "a date", 3},
        Bad{"NotDateTime", Instance("<start>yesterday</start>"), "OI007", "a date-time", 3},
        Bad{"NotGeopoint", Instance("<where>91 10</where>"), "OI007", "geopoint", 3},
        Bad{"NotChoice", Instance("<consent>maybe</consent>"), "OI008",
            "/data/consent: \"maybe\" is not a choice of list \"yn\"", 3},
        Bad{"NotChoiceInMultiple", Instance("\n<topics>health food</topics>"), "OI008", "\"food\"",
            4},
        Bad{"NestedRepeatPath",
            Instance("<programs/><programs><sites><site>x</site><bogus/></sites></programs>"),
            "OI006", "/data/programs[2]/sites[1]/bogus", 3},
        Bad{"UnknownElement", Instance("<agee>4</agee>"), "OI006",
            "element /data/agee is not a question of form \"ngo\""},
        Bad{"Twice", Instance("<age>4</age>\n<age>5</age>"), "OI010", "/data/age is given twice",
            4},
        // The first problem in document order is the one reported, where it is.
        Bad{"TwiceThenNotInteger", Instance("<age>4</age>\n<age>5</age>\n<staff>x</staff>"),
            "OI010", "/data/age is given twice", 4},
        Bad{"NotIntegerInGroupAfterRepeats",
            Instance("<programs><name>a</name></programs>\n<programs><name>b</name></programs>"
                     "\n\n<office><staff>x</staff></office>"),
            "OI007", "/data/office/staff: \"x\" is not an integer", 6},
        Bad{"OtherForm", Instance("", "", R"(id="other" version="2024")"), "OI005",
            "form \"other\", not \"ngo\""},
        Bad{"OtherVersion", Instance("", "", R"(id="ngo" version="2023")"), "OI005",
            "version \"2023\""},
        Bad{"NoId", Instance("", "", R"(version="2024")"), "OI005", "no id attribute"},
        Bad{"NoInstanceId",
            R"(<data id="ngo" version="2024"><age>3</age><meta><instanceID/></meta></data>)",
            "OI009", "/data/meta/instanceID is missing"},
        Bad{"BadInstanceId",
            R"(<data id="ngo" version="2024"><meta><instanceID>12</instanceID></meta></data>)",
            "OI009", "not \"uuid:\""},
        Bad{"PathInAttachment", Instance("<photo>../../etc/passwd</photo>"), "OI013",
            "not a plain file name"},
        Bad{"NotWellFormed", Instance("<age>4</agee>"), "OI001", "not well-formed XML", 3},
        Bad{"Doctype",
            "<?xml version='1.0'?>\n<!DOCTYPE data [<!ENTITY a \"aaaaaaaa\"><!ENTITY b "
            "\"&a;&a;&a;&a;&a;&a;\">]>\n<data id=\"ngo\" version=\"2024\"><remarks>&b;</remarks>"
            "</data>",
            "OI002", "DOCTYPE"},
        Bad{"ExternalEntity",
            "<!DOCTYPE data SYSTEM \"file:///etc/passwd\">\n<data id=\"ngo\" "
            "version=\"2024\"/>",
            "OI002", "DOCTYPE"},
        Bad{"UndeclaredEntity", Instance("<remarks>&xxe;</remarks>"), "OI001", "entity"},
        Bad{"Loopish", Instance("<programs><name>a<b/></name></programs>"), "OI006",
            "inside a value"},
        // A group given twice gives its questions twice.
        Bad{"GroupTwice",
            Instance("<office><staff>1</staff></office>\n<office><staff>2</staff></office>"),
            "OI010", "/data/office/staff is given twice", 4},
        Bad{"TwiceInOneRepeatInstance",
            Instance("<programs><name>a</name>\n<name>b</name></programs>"), "OI010",
            "/data/programs[1]/name is given twice", 4},
        Bad{"AuditInTwoMetas",
            R"(<data id="ngo" version="2024"><meta><audit>a.csv</audit></meta>)"
            "\n<meta><instanceID>uuid:6f1b5b4e-2a49-4c4e-9a43-2b9e1f6e1a01</instanceID>"
            "<audit>b.csv</audit></meta></data>",
            "OI010", "/data/meta/audit is given twice", 2}),
    [](const auto& info) { return info.param.name; });

// Read (the fast pass, expat when it declines) and ReadExact (expat alone) agree on
// every document: the same instance, or the same error. The documents sit on the
// edges of the fast pass's subset (odk_instance.h): each is either inside it and
// well-formed, inside it and refused by expat (the fast pass must not accept it), or
// outside it (left to expat).
TEST(OdkInstance, FastPassAndExpatAgree) {
  Form form = Survey();
  OdkInstanceReader reader(form);
  const std::string id = kId;
  const std::string open = R"(<data id="ngo" version="2024">)";
  const std::string meta = "<meta><instanceID>" + id + "</instanceID></meta>";
  auto doc = [&](const std::string& body) { return open + body + meta + "</data>"; };
  const std::vector<std::string> documents = {
      Instance("<age>42</age><remarks>plain</remarks>"),
      doc("<remarks>   </remarks>"),        // white space kept by a text
      doc("<remarks>a\r\nb\rc</remarks>"),  // line ends as XML reads them
      doc("<remarks>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</remarks>"),
      doc("<remarks>&#x1780;&#6016;</remarks>"),  // character references
      doc("<remarks>&#0;</remarks>"),             // not a character
      doc("<remarks>&nbsp;</remarks>"),           // undeclared entity
      doc("<remarks><![CDATA[a < b]]></remarks>"),
      doc("<remarks>a ]]> b</remarks>"),
      doc("<remarks>a > b</remarks>"),
      doc("<!-- note --><age>1</age>"),
      doc("<!-- a -- b --><age>1</age>"),
      doc("<?pi data?><age>1</age>"),
      doc("<?xml version='1.0'?><age>1</age>"),
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\" ?>" + doc(""),
      "<?xml version='1.0' encoding='utf-8'?>\n" + doc(""),
      "<?xml version='1.0' encoding='ISO-8859-1'?>" + doc(""),
      "<?xml version='1.1'?>" + doc(""),
      "<?xml encoding='UTF-8'?>" + doc(""),
      "<?xml version='1.0' standalone='maybe'?>" + doc(""),
      "<?xml version='1.0'?>" + doc(""),
      "<?xml  version = '1.0'  ?>" + doc(""),
      " <?xml version='1.0'?>" + doc(""),
      "\xEF\xBB\xBF" + doc(""),  // a byte order mark
      "\n\n" + doc("") + "\n\n",
      doc("") + "text after",
      doc("") + "<data/>",
      "text before" + doc(""),
      "",
      "   ",
      R"(<data id="ngo" version="2024" id="ngo">)" + meta + "</data>",
      R"(<data id="ngo" version="2024" x="a<b">)" + meta + "</data>",
      R"(<data id="ngo" version="2024" x="a&lt;b">)" + meta + "</data>",
      R"(<data id="ngo"version="2024">)" + meta + "</data>",
      R"(<data id="ngo" version="2024" x="a)"
      "\r\n"
      R"(b	c">)" +
          meta + "</data>",
      R"(<data id='ngo' version='2024'>)" + meta + "</data >",
      doc("<age>1</age >"),
      doc("<age>1</age"),
      doc("<age/ >"),
      doc("<age>1</ age>"),
      doc("<age>1"),
      doc("<\xC3\xA9t\xC3\xA9>1</\xC3\xA9t\xC3\xA9>"),  // a name beyond ASCII
      doc("<remarks>\xE1\x9E\x80\xE1\x9E\x81 Vi\xE1\xBB\x87t</remarks>"),
      doc("<remarks>\xC3\x28</remarks>"),          // not UTF-8
      doc("<remarks>\xC0\xAF</remarks>"),          // overlong
      doc("<remarks>\xED\xA0\x80</remarks>"),      // a surrogate
      doc("<remarks>\xEF\xBF\xBE</remarks>"),      // U+FFFE
      doc("<remarks>\xEF\xB7\x90</remarks>"),      // U+FDD0
      doc("<remarks>\xF4\x90\x80\x80</remarks>"),  // over U+10FFFF
      doc("<remarks>\xF0\x9F\x98\x80</remarks>"),  // U+1F600
      doc(std::string("<remarks>a\x01b</remarks>")),
      doc(std::string("<remarks>a\0b</remarks>", 18)),
      doc("<-age>1</-age>"),
      doc("<1age>1</1age>"),
      doc("<a:age xmlns:a='urn:x'>7</a:age>"),
      doc("<age>4</age><age>5</age>"),
      doc("<office><staff>1</staff></office><office/>"),
      doc("<programs><name>a</name></programs><programs><sites><site>b</site></sites></programs>"),
      doc("<programs jr:template=''><name>t</name></programs>"),
      doc(std::string(100, ' ') + "<remarks>" + std::string(5000, 'x') + "</remarks>"),
  };
  for (const std::string& xml : documents) {
    SCOPED_TRACE(xml.substr(0, 200));
    auto fast = reader.Read(xml, {.file = "a.xml"});
    auto exact = reader.ReadExact(xml, {.file = "a.xml"});
    ASSERT_EQ(fast.has_value(), exact.has_value())
        << (fast ? exact.error().ToString() : fast.error().ToString());
    if (fast) {
      EXPECT_TRUE(*fast == *exact);
    } else {
      EXPECT_EQ(fast.error().ToString(), exact.error().ToString());
    }
  }
  // The head reader too.
  for (const std::string& xml : documents) {
    auto head = ReadOdkInstanceHead(xml);
    auto exact = reader.ReadExact(xml);
    if (exact) {
      EXPECT_TRUE(head.has_value()) << xml.substr(0, 200);
    }
  }
}

// One reader, many documents in a row on one thread and on several at once: each
// thread's expat parser is reset between documents (and one that read a document over
// 1 MB is freed), so a document stopped by an error, a head read, a large document or
// another thread never changes what the next document gives.
TEST(OdkInstance, ReadsTheSameAfterErrorsHeadsAndLargeDocumentsOnEveryThread) {
  Form form = Survey();
  OdkInstanceReader reader(form);
  const std::string good = Instance(
      "<age>42</age><consent>yes</consent><topics>health legal</topics>\n"
      "<office><staff>3</staff></office><programs><name>A</name></programs>"
      "<programs><name>B</name><sites><site>S</site></sites></programs>");
  auto first = reader.Read(good);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  ASSERT_EQ(first->answers.size(), 7u);
  const std::string large =
      Instance("<remarks>" + std::string(900000, 'r') + "</remarks><programs><name>" +
               std::string(300000, 'n') + "</name></programs>");
  ASSERT_GT(large.size(), size_t{1} << 20);
  const std::string bad_value = Instance("<age>42</age>\n<consent>maybe</consent>");
  const std::string broken = Instance("<age>4</agee>");

  auto check_round = [&](int round) {
    auto stopped = reader.Read(bad_value, {.file = "bad.xml"});
    EXPECT_FALSE(stopped.has_value());
    if (!stopped) {
      EXPECT_EQ(stopped.error().code, "OI008") << round;
      EXPECT_EQ(stopped.error().where.row, 4) << round;
    }
    auto again = reader.Read(good);
    EXPECT_TRUE(again.has_value() && again->answers == first->answers) << round;
    auto head = ReadOdkInstanceHead(good);
    EXPECT_TRUE(head.has_value() && head->form_id == "ngo" && head->version == "2024") << round;
    auto not_xml = reader.Read(broken);
    EXPECT_TRUE(!not_xml.has_value() && not_xml.error().code == "OI001") << round;
    if (round % 10 == 0) {
      auto big = reader.Read(large);
      EXPECT_TRUE(big.has_value()) << round;
      if (big) {
        EXPECT_EQ(big->answers.at("remarks").value.size(), 900000u) << round;
        EXPECT_EQ(big->answers.at("programs[1]/name").value.size(), 300000u) << round;
      }
    }
    auto after = reader.Read(good);
    EXPECT_TRUE(after.has_value() && after->answers == first->answers) << round;
  };
  for (int round = 0; round < 30; ++round) check_round(round);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 30; ++round) check_round(round);
    });
  }
  for (std::thread& t : threads) t.join();
}

// Elements are found by name in any order (the reader only guesses the form's order
// first), and the NAME_other and NAME_count elements pyxform adds are found too.
TEST(OdkInstance, ElementsInAnyOrderGiveTheSameAnswers) {
  Form form = Survey();
  const std::string in_order = Instance(
      "<age>42</age><budget>3.5</budget><consent>no</consent><funded>other</funded>"
      "<funded_other>x</funded_other><remarks>r</remarks><office><staff>3</staff></office>"
      "<programs><name>A</name><sites><site>S1</site></sites><sites><site>S2</site></sites>"
      "</programs><programs><name>B</name></programs>");
  const std::string shuffled = Instance(
      "<programs><sites><site>S1</site></sites><name>A</name><sites><site>S2</site></sites>"
      "</programs><remarks>r</remarks><funded_other>x</funded_other><office><staff>3</staff>"
      "</office><funded>other</funded><programs><name>B</name></programs><consent>no</consent>"
      "<budget>3.5</budget><age>42</age>");
  auto a = ReadOdkInstance(in_order, form);
  auto b = ReadOdkInstance(shuffled, form);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  ASSERT_TRUE(b.has_value()) << b.error().ToString();
  EXPECT_EQ(a->answers.size(), 11u);
  EXPECT_EQ(a->answers, b->answers);
  EXPECT_EQ(b->answers.at("funded_other"), Answer::Answered("x"));
  EXPECT_EQ(b->answers.at("programs[1]/sites[2]/site"), Answer::Answered("S2"));
}

TEST(OdkInstance, DepthAndSizeLimits) {
  Form form = Survey();
  std::string deep = R"(<data id="ngo" version="2024">)";
  for (int i = 0; i < 10000; ++i) deep += "<programs>";
  auto too_deep = ReadOdkInstance(deep, form);
  ASSERT_FALSE(too_deep.has_value());
  // The repeat nests in itself only once in the form, so the second level is unknown;
  // with only groups of the right names it is the depth that stops it.
  EXPECT_TRUE(too_deep.error().code == "OI006" || too_deep.error().code == "OI004");

  std::string nested = R"(<data id="ngo" version="2024">)";
  for (int i = 0; i < 10000; ++i) nested += "<formhub>";
  auto refused = ReadOdkInstance(nested, form);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "OI004");
  EXPECT_NE(refused.error().message.find("deeper than 64"), std::string::npos);

  std::string big = Instance("<remarks>" + std::string(2 << 20, 'x') + "</remarks>");
  auto too_big_text = ReadOdkInstance(big, form);
  ASSERT_FALSE(too_big_text.has_value());
  EXPECT_EQ(too_big_text.error().code, "OI003");
  EXPECT_NE(too_big_text.error().message.find("/data/remarks"), std::string::npos);

  OdkInstanceOptions small;
  small.max_bytes = 100;
  auto too_big = ReadOdkInstance(Instance("<age>1</age>"), form, small);
  ASSERT_FALSE(too_big.has_value());
  EXPECT_EQ(too_big.error().code, "OI003");
}

TEST(OdkInstance, EncryptedEnvelopeBothNamespaces) {
  Form form = Survey();
  for (std::string ns :
       {"http://www.opendatakit.org/xforms/encrypted", "http://opendatakit.org/submissions"}) {
    std::string xml = R"(<data id="ngo" version="2024" encrypted="yes" xmlns=")" + ns + R"(">
<base64EncryptedKey>S0VZ</base64EncryptedKey>
<meta xmlns="http://openrosa.org/xforms"><instanceID>)" +
                      std::string(kId) +
                      R"(</instanceID></meta>
<media><file>photo.jpg.enc</file></media><media><file>audit.csv.enc</file></media>
<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>
<base64EncryptedElementSignature>U0lH</base64EncryptedElementSignature></data>)";
    auto read = ReadOdkInstance(xml, form);
    ASSERT_TRUE(read.has_value()) << read.error().ToString();
    ASSERT_TRUE(read->encrypted.has_value());
    EXPECT_EQ(read->encrypted->xmlns, ns);
    EXPECT_EQ(read->encrypted->base64_encrypted_key, "S0VZ");
    EXPECT_EQ(read->encrypted->media, (std::vector<std::string>{"photo.jpg.enc", "audit.csv.enc"}));
    EXPECT_EQ(read->encrypted->encrypted_xml_file, "submission.xml.enc");
    EXPECT_EQ(read->encrypted->base64_signature, "U0lH");
    EXPECT_EQ(read->instance_id, kId);
    EXPECT_TRUE(read->answers.empty());

    auto head = ReadOdkInstanceHead(xml);
    ASSERT_TRUE(head.has_value());
    EXPECT_TRUE(head->encrypted);
    EXPECT_EQ(head->form_id, "ngo");
  }
  auto no_signature = ReadOdkInstance(
      std::string(R"(<data id="ngo" version="2024" encrypted="yes"><base64EncryptedKey>K)"
                  R"(</base64EncryptedKey><meta><instanceID>)") +
          kId + "</instanceID></meta><encryptedXmlFile>s.enc</encryptedXmlFile></data>",
      form);
  ASSERT_FALSE(no_signature.has_value());
  EXPECT_EQ(no_signature.error().code, "OI011");
  EXPECT_NE(no_signature.error().message.find("/data/base64EncryptedElementSignature"),
            std::string::npos);
  auto bad_media = ReadOdkInstance(
      std::string(
          R"(<data id="ngo" version="2024" encrypted="yes"><media><file>../x.enc</file></media>)") +
          "</data>",
      form);
  ASSERT_FALSE(bad_media.has_value());
  EXPECT_EQ(bad_media.error().code, "OI011");
}

TEST(OdkInstance, HeadWithoutForm) {
  auto head = ReadOdkInstanceHead(Instance("<age>oops</age>"));
  ASSERT_TRUE(head.has_value()) << head.error().ToString();
  EXPECT_EQ(head->root, "data");
  EXPECT_EQ(head->form_id, "ngo");
  EXPECT_EQ(head->version, "2024");
  EXPECT_FALSE(head->encrypted);
  EXPECT_EQ(ReadOdkInstanceHead("").error().code, "OI001");
  EXPECT_EQ(ReadOdkInstanceHead("<data/>").error().code, "OI005");
}

TEST(OdkInstance, PlainFileNames) {
  EXPECT_TRUE(IsPlainFileName("1710000000000.jpg"));
  EXPECT_TRUE(IsPlainFileName("a b.m4a"));
  EXPECT_FALSE(IsPlainFileName(""));
  EXPECT_FALSE(IsPlainFileName(".."));
  EXPECT_FALSE(IsPlainFileName("a/b.jpg"));
  EXPECT_FALSE(IsPlainFileName("a\\b.jpg"));
  EXPECT_FALSE(IsPlainFileName(std::string("a\0b", 3)));
  EXPECT_FALSE(IsPlainFileName(std::string(256, 'a')));
}

}  // namespace
}  // namespace ngosurvey::form
