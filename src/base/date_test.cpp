#include "base/date.h"

#include <gtest/gtest.h>

#include <ctime>

namespace ngosurvey::date {
namespace {

TEST(DateTest, CivilRoundTripAgainstTheCLibrary) {
  // Every day from 1600 to 2400 against timegm/gmtime_r, an independent
  // implementation of the same calendar.
  for (int64_t days = DaysFromCivil(1600, 1, 1); days <= DaysFromCivil(2400, 12, 31); days += 7) {
    Civil c = CivilFromDays(days);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), days);
    std::time_t seconds = static_cast<std::time_t>(days * 86400);
    std::tm tm{};
    ASSERT_NE(gmtime_r(&seconds, &tm), nullptr);
    ASSERT_EQ(c.year, tm.tm_year + 1900) << days;
    ASSERT_EQ(c.month, static_cast<unsigned>(tm.tm_mon + 1)) << days;
    ASSERT_EQ(c.day, static_cast<unsigned>(tm.tm_mday)) << days;
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1960, 1, 1), -3653);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
}

TEST(DateTest, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_EQ(DaysInMonth(2024, 2), 29u);
  EXPECT_EQ(DaysInMonth(2100, 2), 28u);
  EXPECT_EQ(DaysInMonth(2023, 4), 30u);
  EXPECT_EQ(DaysInMonth(2023, 12), 31u);
}

TEST(DateTest, DayOfMillisRoundsDown) {
  EXPECT_EQ(DayOfMillis(0), 0);
  EXPECT_EQ(DayOfMillis(kMillisPerDay - 1), 0);
  EXPECT_EQ(DayOfMillis(kMillisPerDay), 1);
  EXPECT_EQ(DayOfMillis(-1), -1);
  EXPECT_EQ(DayOfMillis(-kMillisPerDay), -1);
  EXPECT_EQ(DayOfMillis(-kMillisPerDay - 1), -2);
}

TEST(DateTest, ParsesOnlyRealIsoDates) {
  EXPECT_EQ(*ParseIsoDate("1970-01-02"), 1);
  EXPECT_EQ(*ParseIsoDate("1960-01-01"), -3653);
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_TRUE(IsIsoDate("2000-02-29"));
  EXPECT_FALSE(IsIsoDate("1900-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-13-01"));
  EXPECT_FALSE(IsIsoDate("2023-00-01"));
  EXPECT_FALSE(IsIsoDate("2023-04-31"));
  EXPECT_FALSE(IsIsoDate("2023-04-00"));
  EXPECT_FALSE(IsIsoDate("2023-4-01"));
  EXPECT_FALSE(IsIsoDate("01/02/2023"));
  EXPECT_FALSE(IsIsoDate(" 2023-04-01"));
  EXPECT_FALSE(IsIsoDate("2023-04-01T10:00"));
  EXPECT_FALSE(IsIsoDate("2O23-04-01"));
  EXPECT_FALSE(IsIsoDate(""));
}

TEST(DateTest, FormatsDatesAndInstants) {
  EXPECT_EQ(FormatIsoDate(0), "1970-01-01");
  EXPECT_EQ(FormatIsoDate(-1), "1969-12-31");
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("2024-02-29")), "2024-02-29");
  EXPECT_EQ(FormatIsoDate(DaysFromCivil(12345, 6, 7)), "12345-06-07");
  const int64_t t =
      DaysFromCivil(2026, 11, 25) * kMillisPerDay + ((2 * 60 + 41) * 60 + 7) * 1000 + 123;
  EXPECT_EQ(FormatIsoDateTime(t, 7 * 60), "2026-11-25T09:41:07.123+07:00");
  EXPECT_EQ(FormatIsoDateTime(t, -(9 * 60 + 30)), "2026-11-24T17:11:07.123-09:30");
  EXPECT_EQ(FormatIsoDateTime(t, 0), "2026-11-25T02:41:07.123+00:00");
  EXPECT_EQ(FormatIsoDateTimeUtc(t), "2026-11-25T02:41:07.123Z");
  EXPECT_EQ(FormatIsoDateTimeUtc(-1), "1969-12-31T23:59:59.999Z");
  char buf[kFormatBufferSize];
  EXPECT_EQ(std::string_view(buf, FormatIsoDate(0, buf)), "1970-01-01");
}

TEST(DateTest, ParsesTimesWithTheOffsetWritten) {
  const int64_t day = DaysFromCivil(2024, 3, 5) * kMillisPerDay;
  const int64_t local = ((9 * 60 + 12) * 60 + 44) * int64_t{1000} + 123;
  // Kobo and ODK Central write the device's offset.
  auto kobo = ParseIsoDateTime("2024-03-05T09:12:44.123+07:00");
  ASSERT_TRUE(kobo);
  EXPECT_EQ(kobo->millis, day + local - 7 * 3600000);
  EXPECT_EQ(kobo->offset_minutes, 420);
  auto west = ParseIsoDateTime("2024-03-05T09:12:44.123-0930");
  ASSERT_TRUE(west);
  EXPECT_EQ(west->millis, day + local + (9 * 60 + 30) * 60000);
  EXPECT_EQ(west->offset_minutes, -570);
  EXPECT_EQ(ParseIsoDateTime("2024-03-05T09:12:44.123-04")->offset_minutes, -240);
  // "Z" is a known offset of 0; no zone at all is read as UTC with no offset known.
  auto zulu = ParseIsoDateTime("2024-03-05T09:12:44.123Z");
  ASSERT_TRUE(zulu);
  EXPECT_EQ(zulu->offset_minutes, 0);
  auto bare = ParseIsoDateTime("2024-03-05 09:12:44.123");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->millis, zulu->millis);
  EXPECT_FALSE(bare->offset_minutes);
  EXPECT_EQ(ParseIsoDateTime("2024-03-05")->millis, day);
  EXPECT_FALSE(ParseIsoDateTime("2024-03-05")->offset_minutes);
  for (std::string_view bad :
       {"2024-03-05T09:12:44+19:00", "2024-03-05T09:12:44+07:60", "2024-03-05T09:12:44+7",
        "2024-03-05T24:00", "2024-02-30T09:00", "2024-03-05T09:12:44Zx", "2024-03-05X09:12"}) {
    EXPECT_FALSE(ParseIsoDateTime(bad)) << bad;
  }
  auto time = ParseIsoTime("09:12:44.5+05:45");
  ASSERT_TRUE(time);
  EXPECT_EQ(time->millis, ((9 * 60 + 12) * 60 + 44) * int64_t{1000} + 500) << "as written";
  EXPECT_EQ(time->offset_minutes, 345);
}

TEST(DateTest, LocalTimesAndDaysFollowTheOffsetWritten) {
  // 23:30 in Phnom Penh on 5 March is 16:30 UTC the same day; 06:30 on 6 March in
  // Phnom Penh is 23:30 UTC on 5 March: the local day is the 6th.
  auto late = ParseIsoDateTime("2024-03-06T06:30:00.000+07:00");
  ASSERT_TRUE(late);
  EXPECT_EQ(FormatLocalDateTime(late->millis, late->offset_minutes),
            "2024-03-06T06:30:00.000+07:00");
  EXPECT_EQ(FormatLocalDateTime(late->millis, std::nullopt), "2024-03-05T23:30:00.000Z");
  EXPECT_EQ(FormatLocalDateTime(late->millis, 0), "2024-03-05T23:30:00.000Z");
  EXPECT_EQ(LocalDayOfMillis(late->millis, late->offset_minutes), DaysFromCivil(2024, 3, 6));
  EXPECT_EQ(LocalDayOfMillis(late->millis, std::nullopt), DaysFromCivil(2024, 3, 5));
  auto americas = ParseIsoDateTime("2024-03-05T21:00:00-05:00");
  ASSERT_TRUE(americas);
  EXPECT_EQ(LocalDayOfMillis(americas->millis, americas->offset_minutes),
            DaysFromCivil(2024, 3, 5));
  EXPECT_EQ(DayOfMillis(americas->millis), DaysFromCivil(2024, 3, 6)) << "the UTC day differs";
}

}  // namespace
}  // namespace ngosurvey::date
