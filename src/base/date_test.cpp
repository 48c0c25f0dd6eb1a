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

}  // namespace
}  // namespace ngosurvey::date
